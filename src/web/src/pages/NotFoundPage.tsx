import { Link } from '../components/Link';

export function NotFoundPage() {
  return (
    <section className="card">
      <p>There is no page here.</p>
      <p><Link to="/flags">Go to feature flags</Link></p>
    </section>
  );
}
