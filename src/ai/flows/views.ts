/** Database rows → API shapes. */
import type { Flow, FlowDefinition, FlowVersion } from '../../contracts/flows.js';
import type { FlowRow, FlowVersionRow } from '../../store/repositories/flows.js';
import { validateFlow } from './validate.js';

export function toFlow(row: FlowRow): Flow {
  return {
    id: row.id, key: row.key, name: row.name, latestVersion: row.latestVersion, publishedVersion: row.publishedVersion,
    createdBy: row.createdBy, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
  };
}

export function toFlowVersionSummary(row: FlowVersionRow, flow: FlowRow) {
  return {
    id: row.id, flowId: row.flowId, version: row.version, status: row.status as FlowVersion['status'],
    live: flow.publishedVersion === row.version, createdBy: row.createdBy, createdAt: row.createdAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
  };
}

/** A version with its definition and a fresh validation (rules may have changed since it was saved). */
export function toFlowVersion(row: FlowVersionRow, flow: FlowRow): FlowVersion {
  const check = validateFlow(row.definition);
  return {
    ...toFlowVersionSummary(row, flow),
    definition: (check.flow ?? row.definition) as FlowDefinition,
    validation: { valid: check.valid, errors: check.errors, warnings: check.warnings },
  };
}
