import { randomBytes } from 'node:crypto';
import type { CreateWidgetKeyRequest, WidgetKey } from '../contracts/widget.js';
import type { Repositories } from '../store/index.js';
import type { WidgetKeyRow } from '../store/repositories/widget.js';

export function toWidgetKey(row: WidgetKeyRow): WidgetKey {
  return {
    id: row.id, name: row.name, key: row.key, allowedOrigins: row.allowedOrigins, flow: row.flow,
    createdAt: row.createdAt.toISOString(), revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export function newWidgetKey(): string {
  return `wk_${randomBytes(18).toString('base64url')}`;
}

/** Why a widget key does not open the widget for a page, or null when it does. */
export function keyRefusal(row: WidgetKeyRow | null, origin: string | undefined): 'unknown-key' | 'revoked' | 'origin' | null {
  if (!row) return 'unknown-key';
  if (row.revokedAt) return 'revoked';
  if (!origin || !row.allowedOrigins.includes(origin.toLowerCase())) return 'origin';
  return null;
}

export class WidgetKeys {
  constructor(private readonly repos: Pick<Repositories, 'widget'>) {}

  async create(tenantId: string, input: CreateWidgetKeyRequest, createdBy: string | null): Promise<WidgetKey> {
    const origins = [...new Set(input.allowedOrigins.map((o) => o.toLowerCase()))];
    return toWidgetKey(await this.repos.widget.createKey({ tenantId, name: input.name, key: newWidgetKey(), allowedOrigins: origins, flow: input.flow, createdBy }));
  }
}
