import { useState } from 'react';
import { api } from '../../api/client';
import type { FlowSummary, PhoneNumber } from '../../api/admin-types';
import { ErrorMessage } from '../ErrorMessage';
import { NumberForm } from './NumberForm';

interface Props {
  numbers: PhoneNumber[];
  flows: FlowSummary[];
  onSaved(number: PhoneNumber): void;
  onRemoved(id: string): void;
}

/** The tenant's numbers and what answers each; a row opens into its edit form. */
export function NumbersTable({ numbers, flows, onSaved, onRemoved }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const flowName = (key: string | null) => flows.find((f) => f.key === key || f.id === key)?.name ?? key ?? '—';

  const remove = async (n: PhoneNumber) => {
    if (!window.confirm(`Remove ${n.number}? Calls to it will no longer be answered.`)) return;
    setRemoving(n.id);
    setError(null);
    try {
      await api.call('deleteNumber', { params: { id: n.id } });
      onRemoved(n.id);
    } catch (err) {
      setError(err);
    } finally {
      setRemoving(null);
    }
  };

  if (numbers.length === 0) return <p className="empty" data-testid="numbers-empty">No numbers yet.</p>;
  return (
    <div className="table-wrap">
      <ErrorMessage error={error} />
      <table className="table" data-testid="numbers-table">
        <thead>
          <tr><th scope="col">Number</th><th scope="col">Carrier</th><th scope="col">Answered by</th><th scope="col">Flow / greeting</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody>
          {numbers.map((n) => editing === n.id
            ? (
              <tr key={n.id} data-testid={`number-${n.number}`}>
                <td colSpan={5}><NumberForm number={n} flows={flows} onSaved={(s) => { setEditing(null); onSaved(s); }} onCancel={() => setEditing(null)} /></td>
              </tr>
            )
            : (
              <tr key={n.id} data-testid={`number-${n.number}`} data-agent={n.agentKind}>
                <th scope="row"><code>{n.number}</code></th>
                <td>{n.carrier}</td>
                <td><span className="badge">{n.agentKind}</span></td>
                <td className="small">{n.agentKind === 'flow' ? flowName(n.flowId) : n.greeting ?? '—'}</td>
                <td className="actions">
                  <span className="row-actions">
                    <button type="button" className="button button-small button-ghost" onClick={() => setEditing(n.id)} aria-label={`Edit ${n.number}`}>Edit</button>
                    <button type="button" className="button button-small button-danger" disabled={removing === n.id} onClick={() => void remove(n)} aria-label={`Remove ${n.number}`}>Remove</button>
                  </span>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
