import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { CarrierAccount, FlowSummary, PhoneNumber } from '../api/admin-types';
import { CarrierCard } from '../components/admin/CarrierCard';
import { NumberForm } from '../components/admin/NumberForm';
import { NumbersTable } from '../components/admin/NumbersTable';
import { ErrorMessage } from '../components/ErrorMessage';

interface Data { carriers: CarrierAccount[]; numbers: PhoneNumber[]; flows: FlowSummary[] }

/** Carrier accounts and the tenant's phone numbers with what answers each (admin). */
export function TelephonyPage() {
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    const signal = controller.signal;
    Promise.all([
      api.call('listCarriers', { signal }),
      api.call('listNumbers', { query: { limit: 200 }, signal }),
      api.call('listFlows', { query: { limit: 100 }, signal }),
    ]).then(([carriers, numbers, flows]) => setData({ carriers: carriers.items, numbers: numbers.items, flows: flows.items }),
      (err: unknown) => { if (!signal.aborted) setError(err); });
    return () => controller.abort();
  }, []);

  if (!data) return error ? <ErrorMessage error={error} /> : <p className="muted" role="status">Loading carriers and numbers…</p>;
  const upsert = (n: PhoneNumber) => setData((d) => d && ({
    ...d, numbers: d.numbers.some((x) => x.id === n.id) ? d.numbers.map((x) => (x.id === n.id ? n : x)) : [...d.numbers, n],
  }));

  return (
    <div className="stack">
      <section aria-labelledby="carriers-title" className="stack">
        <h2 id="carriers-title">Carriers</h2>
        <div className="carrier-grid">
          {data.carriers.map((c) => (
            <CarrierCard key={c.carrier} account={c}
              onChanged={(next) => setData((d) => d && ({ ...d, carriers: d.carriers.map((x) => (x.carrier === next.carrier ? next : x)) }))} />
          ))}
        </div>
      </section>
      <section className="card" aria-labelledby="numbers-title">
        <div className="card-head"><h2 id="numbers-title">Phone numbers</h2></div>
        <NumbersTable numbers={data.numbers} flows={data.flows} onSaved={upsert}
          onRemoved={(id) => setData((d) => d && ({ ...d, numbers: d.numbers.filter((n) => n.id !== id) }))} />
        <h3>Add a number</h3>
        <NumberForm flows={data.flows} onSaved={upsert} />
      </section>
    </div>
  );
}
