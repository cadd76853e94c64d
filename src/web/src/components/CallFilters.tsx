import { CALL_STATES, type CallDirection, type CallState } from '../../../contracts/calls';

export interface CallFilterValue { state?: CallState; direction?: CallDirection }

/** State and direction filters for the calls board and the recent calls. */
export function CallFilters({ value, onChange }: { value: CallFilterValue; onChange(next: CallFilterValue): void }) {
  return (
    <div className="filters" role="group" aria-label="Filter calls">
      <label className="field field-inline">
        State
        <select value={value.state ?? ''} onChange={(e) => onChange({ ...value, state: (e.target.value || undefined) as CallState | undefined })}>
          <option value="">Any</option>
          {CALL_STATES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <label className="field field-inline">
        Direction
        <select value={value.direction ?? ''} onChange={(e) => onChange({ ...value, direction: (e.target.value || undefined) as CallDirection | undefined })}>
          <option value="">Any</option>
          <option value="inbound">inbound</option>
          <option value="outbound">outbound</option>
        </select>
      </label>
    </div>
  );
}
