import type { CallState } from '../../../contracts/calls';

export function CallStatePill({ state }: { state: CallState }) {
  return <span className={`pill pill-call-${state}`} data-testid="call-state">{state}</span>;
}
