import { CHANNELS, sessionStatusSchema, type Channel } from '../../../contracts/sessions';
import type { Session } from '../api/types';

export interface Filters { channel?: Channel; status?: Session['status'] }

/** Channel and status filters of the sessions list. */
export function SessionFilters({ value, onChange }: { value: Filters; onChange(filters: Filters): void }) {
  return (
    <div className="filters" role="group" aria-label="Filter sessions">
      <label className="field field-inline">
        <span>Channel</span>
        <select value={value.channel ?? ''} onChange={(e) => onChange({ ...value, channel: (e.target.value || undefined) as Channel | undefined })}>
          <option value="">All channels</option>
          {CHANNELS.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </label>
      <label className="field field-inline">
        <span>Status</span>
        <select value={value.status ?? ''} onChange={(e) => onChange({ ...value, status: (e.target.value || undefined) as Session['status'] | undefined })}>
          <option value="">All statuses</option>
          {sessionStatusSchema.options.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
    </div>
  );
}
