import { ApiKeysSection } from '../components/admin/ApiKeysSection';
import { UsersSection } from '../components/admin/UsersSection';

/** Who may use the tenant: people (users with roles) and programs (API keys). Admin only. */
export function AccessPage() {
  return (
    <div className="stack">
      <UsersSection />
      <ApiKeysSection />
    </div>
  );
}
