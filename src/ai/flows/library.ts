/**
 * A tenant's flows: create, version, validate, publish. Drafts may carry flow errors (work in progress) but must
 * match the schema; only a version without errors can be published. Calls run the published version.
 */
import type { Flow, FlowDefinition, FlowDetail, FlowIssue, FlowValidation, FlowVersion } from '../../contracts/flows.js';
import type { Page, PageQuery } from '../../contracts/common.js';
import type { Repositories } from '../../store/index.js';
import { DuplicateFlowError, type FlowRow } from '../../store/repositories/flows.js';
import { validateFlow, type FlowCheck } from './validate.js';
import { toFlow, toFlowVersion, toFlowVersionSummary } from './views.js';

/** A refusal with the HTTP status and stable code it maps to (the server answers it in the one error shape). */
export class FlowError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'FlowError';
  }
}

const notFound = (what: string) => new FlowError(404, 'not_found', `${what} not found`);
const invalid = (message: string, issues: FlowIssue[]) => new FlowError(400, 'validation_failed', message, issues);

export class FlowLibrary {
  constructor(private readonly repos: Pick<Repositories, 'flows'>) {}

  /** Checks a definition without saving it. */
  validate(definition: unknown): FlowValidation {
    const { valid, errors, warnings } = validateFlow(definition);
    return { valid, errors, warnings };
  }

  async create(tenantId: string, input: { definition: unknown; publish: boolean }, createdBy: string): Promise<FlowDetail> {
    const flow = this.parsed(input.definition, input.publish);
    try {
      const created = await this.repos.flows.create({
        tenantId, key: flow.id, name: flow.name, definition: flow as unknown as Record<string, unknown>, createdBy, publish: input.publish,
      });
      const version = toFlowVersion(created.version, created.flow);
      return { ...toFlow(created.flow), latest: version, published: input.publish ? version : null };
    } catch (err) {
      if (err instanceof DuplicateFlowError) throw new FlowError(409, 'conflict', `${err.message}; add a version to it instead`);
      throw err;
    }
  }

  async list(tenantId: string, query: PageQuery): Promise<Page<Flow>> {
    const page = await this.repos.flows.list(tenantId, query);
    return { items: page.items.map(toFlow), nextCursor: page.nextCursor };
  }

  async get(tenantId: string, ref: string): Promise<FlowDetail> {
    const flow = await this.flow(tenantId, ref);
    const latest = await this.repos.flows.version(tenantId, flow.id, flow.latestVersion);
    const published = flow.publishedVersion === null ? null
      : flow.publishedVersion === flow.latestVersion ? latest : await this.repos.flows.version(tenantId, flow.id, flow.publishedVersion);
    if (!latest) throw notFound('flow version');
    return { ...toFlow(flow), latest: toFlowVersion(latest, flow), published: published ? toFlowVersion(published, flow) : null };
  }

  /** Saves the next version as a draft; its `id` must be the flow's key. */
  async addVersion(tenantId: string, ref: string, definition: unknown, createdBy: string): Promise<FlowVersion> {
    const flow = await this.flow(tenantId, ref);
    const parsed = this.parsed(definition, false);
    if (parsed.id !== flow.key) {
      throw invalid('the definition belongs to another flow', [{ path: '$.id', code: 'key_mismatch', message: `must be ${flow.key}, the flow's key` }]);
    }
    const added = await this.repos.flows.addVersion(tenantId, flow.id, { name: parsed.name, definition: parsed as unknown as Record<string, unknown>, createdBy });
    if (!added) throw notFound('flow');
    return toFlowVersion(added.version, added.flow);
  }

  async versions(tenantId: string, ref: string, query: PageQuery) {
    const flow = await this.flow(tenantId, ref);
    const page = await this.repos.flows.versions(tenantId, flow.id, query);
    return { items: page.items.map((row) => toFlowVersionSummary(row, flow)), nextCursor: page.nextCursor };
  }

  async version(tenantId: string, ref: string, version: number): Promise<FlowVersion> {
    const flow = await this.flow(tenantId, ref);
    const row = await this.repos.flows.version(tenantId, flow.id, version);
    if (!row) throw notFound(`version ${version}`);
    return toFlowVersion(row, flow);
  }

  /** Makes a version live; refused while it has errors. */
  async publish(tenantId: string, ref: string, version: number): Promise<FlowVersion> {
    const flow = await this.flow(tenantId, ref);
    const row = await this.repos.flows.version(tenantId, flow.id, version);
    if (!row) throw notFound(`version ${version}`);
    const check = validateFlow(row.definition);
    if (!check.valid) throw invalid(`version ${version} has errors; fix them in a new version`, check.errors);
    const published = await this.repos.flows.publish(tenantId, flow.id, version);
    if (!published) throw notFound(`version ${version}`);
    return toFlowVersion(published.version, published.flow);
  }

  /** The live definition of a flow (by id or key), for the agent that answers a call; null when none is published. */
  async published(tenantId: string, ref: string): Promise<FlowDefinition | null> {
    const flow = await this.repos.flows.byRef(tenantId, ref);
    if (!flow || flow.publishedVersion === null) return null;
    const row = await this.repos.flows.version(tenantId, flow.id, flow.publishedVersion);
    const check: FlowCheck | null = row ? validateFlow(row.definition) : null;
    return check?.valid && check.flow ? check.flow : null;
  }

  private async flow(tenantId: string, ref: string): Promise<FlowRow> {
    const flow = await this.repos.flows.byRef(tenantId, ref);
    if (!flow) throw notFound('flow');
    return flow;
  }

  /** The schema-checked definition; with `strict`, flow errors refuse it too. */
  private parsed(definition: unknown, strict: boolean): FlowDefinition {
    const check = validateFlow(definition);
    if (!check.flow) throw invalid('the flow definition does not match the schema', check.errors);
    if (strict && !check.valid) throw invalid('the flow has errors; it cannot be published', check.errors);
    return check.flow;
  }
}
