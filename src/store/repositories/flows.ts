import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../database.js';
import { afterCursor, decodeCursor, InvalidCursorError, newestFirst, toPage } from '../pagination.js';
import { flows, flowVersions } from '../schema.js';

export type FlowRow = typeof flows.$inferSelect;
export type FlowVersionRow = typeof flowVersions.$inferSelect;

/** A flow key already used in the tenant, so the API can answer 409. */
export class DuplicateFlowError extends Error {
  constructor(key: string) { super(`a flow with key ${key} already exists`); this.name = 'DuplicateFlowError'; }
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NewFlow {
  tenantId: string;
  key: string;
  name: string;
  definition: Record<string, unknown>;
  createdBy: string;
  publish: boolean;
}

/** Flows and their numbered versions. Every query is scoped by tenant. */
export class FlowRepository {
  constructor(private readonly db: Db) {}

  /** A flow with its version 1 (published at once when asked). */
  async create(input: NewFlow): Promise<{ flow: FlowRow; version: FlowVersionRow }> {
    try {
      return await this.db.transaction(async (tx) => {
        const now = new Date();
        const [flow] = await tx.insert(flows).values({
          tenantId: input.tenantId, key: input.key, name: input.name, latestVersion: 1, publishedVersion: input.publish ? 1 : null,
          createdBy: input.createdBy, createdAt: now, updatedAt: now,
        }).returning();
        const [version] = await tx.insert(flowVersions).values({
          flowId: flow!.id, tenantId: input.tenantId, version: 1, definition: input.definition, status: input.publish ? 'published' : 'draft',
          createdBy: input.createdBy, createdAt: now, publishedAt: input.publish ? now : null,
        }).returning();
        return { flow: flow!, version: version! };
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateFlowError(input.key);
      throw err;
    }
  }

  /** Creates the flow unless the key exists in the tenant (seeding from several instances at once). */
  async createIfMissing(input: NewFlow): Promise<boolean> {
    if (await this.byRef(input.tenantId, input.key)) return false;
    try {
      await this.create(input);
      return true;
    } catch (err) {
      if (err instanceof DuplicateFlowError) return false;
      throw err;
    }
  }

  /** By id (a UUID) or by key. */
  async byRef(tenantId: string, ref: string): Promise<FlowRow | null> {
    const match = UUID.test(ref) ? eq(flows.id, ref) : eq(flows.key, ref);
    const [row] = await this.db.select().from(flows).where(and(eq(flows.tenantId, tenantId), match)).limit(1);
    return row ?? null;
  }

  async list(tenantId: string, query: { limit: number; cursor?: string | undefined }) {
    const filters: (SQL | undefined)[] = [eq(flows.tenantId, tenantId), afterCursor(flows.createdAt, flows.id, decodeCursor(query.cursor))];
    const rows = await this.db.select().from(flows).where(and(...filters)).orderBy(...newestFirst(flows.createdAt, flows.id)).limit(query.limit + 1);
    return toPage(rows, query.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  /** Adds the next version (a draft); the flow takes the definition's name. */
  async addVersion(tenantId: string, flowId: string, input: { name: string; definition: Record<string, unknown>; createdBy: string }): Promise<{ flow: FlowRow; version: FlowVersionRow } | null> {
    return this.db.transaction(async (tx) => {
      const now = new Date();
      // The row lock of this update serialises concurrent additions: each gets its own number.
      const [flow] = await tx.update(flows).set({ latestVersion: sql`${flows.latestVersion} + 1`, name: input.name, updatedAt: now })
        .where(and(eq(flows.tenantId, tenantId), eq(flows.id, flowId))).returning();
      if (!flow) return null;
      const [version] = await tx.insert(flowVersions).values({
        flowId, tenantId, version: flow.latestVersion, definition: input.definition, status: 'draft', createdBy: input.createdBy, createdAt: now,
      }).returning();
      return { flow, version: version! };
    });
  }

  async version(tenantId: string, flowId: string, version: number): Promise<FlowVersionRow | null> {
    const [row] = await this.db.select().from(flowVersions)
      .where(and(eq(flowVersions.tenantId, tenantId), eq(flowVersions.flowId, flowId), eq(flowVersions.version, version))).limit(1);
    return row ?? null;
  }

  /** Versions, highest number first (the cursor carries the version number). */
  async versions(tenantId: string, flowId: string, query: { limit: number; cursor?: string | undefined }) {
    const t = flowVersions;
    const cursor = decodeCursor(query.cursor);
    const before = cursor ? Number(cursor.id) : undefined;
    if (before !== undefined && !Number.isInteger(before)) throw new InvalidCursorError();
    const filters: (SQL | undefined)[] = [eq(t.tenantId, tenantId), eq(t.flowId, flowId), before !== undefined ? lt(t.version, before) : undefined];
    const rows = await this.db.select().from(t).where(and(...filters)).orderBy(desc(t.version)).limit(query.limit + 1);
    return toPage(rows, query.limit, (r) => ({ at: r.createdAt, id: String(r.version) }));
  }

  /** Marks a version published and makes it the one that answers calls. */
  async publish(tenantId: string, flowId: string, version: number): Promise<{ flow: FlowRow; version: FlowVersionRow } | null> {
    return this.db.transaction(async (tx) => {
      const now = new Date();
      const [existing] = await tx.select().from(flowVersions)
        .where(and(eq(flowVersions.tenantId, tenantId), eq(flowVersions.flowId, flowId), eq(flowVersions.version, version))).limit(1);
      if (!existing) return null;
      const [row] = await tx.update(flowVersions).set({ status: 'published', publishedAt: existing.publishedAt ?? now })
        .where(eq(flowVersions.id, existing.id)).returning();
      const [flow] = await tx.update(flows).set({ publishedVersion: version, updatedAt: now })
        .where(and(eq(flows.tenantId, tenantId), eq(flows.id, flowId))).returning();
      return flow ? { flow, version: row! } : null;
    });
  }
}

