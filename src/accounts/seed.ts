import type { Logger } from '../infra/logger.js';
import type { Repositories } from '../store/index.js';
import { hashPassword, generatePassword } from './passwords.js';

export const DEMO_TENANT_SLUG = 'demo';

/**
 * First start: creates the demo tenant and its admin. The password comes from SWITCHBOARD_ADMIN_PASSWORD or is
 * generated and printed once on stdout (never logged). Later starts change nothing.
 */
export async function seedDemoTenant(repos: Repositories, options: { adminEmail: string; adminPassword?: string | undefined; log: Logger; print?: (line: string) => void }) {
  let tenant = await repos.tenants.bySlug(DEMO_TENANT_SLUG);
  if (!tenant) {
    try {
      tenant = await repos.tenants.create({ name: 'Demo', slug: DEMO_TENANT_SLUG });
    } catch {
      // Another instance created it at the same moment.
      tenant = await repos.tenants.bySlug(DEMO_TENANT_SLUG);
      if (!tenant) throw new Error('could not create the demo tenant');
    }
  }
  const existing = await repos.users.byEmail(options.adminEmail);
  if (existing) return { tenant, created: false };
  const password = options.adminPassword ?? generatePassword();
  try {
    await repos.users.create({ tenantId: tenant.id, email: options.adminEmail, name: 'Administrator', role: 'admin', passwordHash: await hashPassword(password) });
  } catch {
    return { tenant, created: false };
  }
  options.log.info({ email: options.adminEmail, passwordSource: options.adminPassword ? 'SWITCHBOARD_ADMIN_PASSWORD' : 'generated' }, 'created the demo admin');
  if (!options.adminPassword) {
    (options.print ?? ((line) => process.stdout.write(`${line}\n`)))(
      `\n  Switchboard admin created: ${options.adminEmail} / ${password}\n  (shown once; set SWITCHBOARD_ADMIN_PASSWORD to choose it)\n`);
  }
  return { tenant, created: true };
}
