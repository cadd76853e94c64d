import type { Logger } from '../infra/logger.js';
import type { Repositories } from '../store/index.js';
import { newWidgetKey } from './keys.js';

/**
 * Development only: the demo tenant gets a widget key for the platform's own origin, answered by the example
 * booking flow, so GET /widget/demo works on the first start. Answers the key the demo page embeds.
 */
export async function seedDemoWidget(repos: Pick<Repositories, 'widget'>, tenantId: string, origin: string, log: Logger): Promise<string> {
  const existing = (await repos.widget.activeKeys(tenantId)).find((k) => k.allowedOrigins.includes(origin) && k.name === 'Demo widget');
  if (existing) return existing.key;
  const row = await repos.widget.createKey({ tenantId, name: 'Demo widget', key: newWidgetKey(), allowedOrigins: [origin], flow: 'appointment-booking', createdBy: null });
  log.info({ origin }, 'seeded the demo widget key');
  return row.key;
}
