import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { operations } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { parseByteRange } from '../byte-range.js';
import { ApiError, notFound } from '../errors.js';
import { route } from '../route.js';
import type { Caller } from '../../accounts/service.js';
import { inScope, scopeOfCaller } from '../../call/supervision/scope.js';
import type { Supervisor } from '../../call/supervision/takeover.js';
import { TRANSFER_ROLES } from '../../call/supervision/agent-transfer.js';

/** Per role: the transfer list is a picker, not a directory. */
const MAX_TRANSFER_AGENTS = 200;

/** Calls: list, detail (timeline, transcript), recording download, outbound dial, hang-up, transfer. */
export async function registerCallRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { accounts, calls, recordings } = platform;

  // An agent sees their own calls and their queues'; the others see all (src/call/supervision/scope.ts).
  route(app, accounts, operations.listCalls, ({ caller, query }) => calls.list(caller.tenant.id, query, scopeOfCaller(caller)));

  route(app, accounts, operations.getCall, async ({ caller, params }) => {
    const call = await calls.detail(caller.tenant.id, params.id, scopeOfCaller(caller));
    if (!call) throw notFound('call');
    return call;
  });

  route(app, accounts, operations.getCallRecording, async ({ caller, params, request, reply }) => {
    const row = await platform.repos.calls.byId(caller.tenant.id, params.id);
    if (!row || !inScope(scopeOfCaller(caller), row)) throw notFound('call');
    const path = row.recordingPath ? recordings.resolve(row.recordingPath) : null;
    const size = row.recordingPath ? await recordings.size(row.recordingPath) : null;
    if (!path || size === null) throw notFound('recording');
    const range = parseByteRange(request.headers.range, size);
    void reply.header('accept-ranges', 'bytes');
    if (range === 'unsatisfiable') {
      void reply.header('content-range', `bytes */${size}`);
      throw new ApiError(416, 'range_not_satisfiable', `the recording has ${size} bytes`);
    }
    void reply.header('content-type', 'audio/wav').header('cache-control', 'private, no-store')
      .header('content-disposition', `inline; filename="call-${row.id}.wav"`);
    const { start, end } = range ?? { start: 0, end: size - 1 };
    if (range) void reply.code(206).header('content-range', `bytes ${start}-${end}/${size}`);
    void reply.header('content-length', String(Math.max(0, end - start + 1)));
    // A live call's file keeps growing: send exactly the bytes announced.
    return reply.send(size === 0 ? '' : createReadStream(path, { start, end })) as never;
  });

  route(app, accounts, operations.createCall, ({ caller, body }) => calls.dial(caller.tenant.id, body));

  route(app, accounts, operations.hangupCall, async ({ caller, params, body }) => {
    await visibleCall(platform, caller, params.id);
    return calls.hangup(caller.tenant.id, params.id, body?.reason ?? 'ended-by-api');
  });

  route(app, accounts, operations.transferCall, async ({ caller, params, body }) => {
    await visibleCall(platform, caller, params.id);
    if ('to' in body) return calls.transfer(caller.tenant.id, params.id, body.to);
    // To an agent: held until they take it over (src/call/supervision/agent-transfer.ts).
    const user = await platform.repos.users.byId(caller.tenant.id, body.agentId);
    return calls.transferToAgent(caller.tenant.id, params.id, supervisorOf(caller), user);
  });

  // Any staff member may transfer, so any may see whom to: names and queues only, enabled agents and supervisors.
  route(app, accounts, operations.listTransferAgents, async ({ caller }) => {
    const pages = await Promise.all(TRANSFER_ROLES.map((role) => platform.repos.users.list(caller.tenant.id, { role, limit: MAX_TRANSFER_AGENTS })));
    const items = pages.flatMap((p) => p.items).filter((u) => !u.disabled)
      .map((u) => ({ id: u.id, name: u.name, role: u.role as (typeof TRANSFER_ROLES)[number], queues: u.queues }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { items };
  });

  // An agent of the call's queue, a supervisor or an admin pauses the AI and takes over; analysts stay read-only (403).
  route(app, accounts, operations.takeoverCall, ({ caller, params }) => calls.takeover(caller.tenant.id, params.id, supervisorOf(caller)));

  route(app, accounts, operations.resumeCallAi, ({ caller, params }) => calls.resumeAi(caller.tenant.id, params.id, supervisorOf(caller)));

  // Hold and resume move media too (src/call/hold-control.ts): hold audio for the caller, the AI agent muted.
  route(app, accounts, operations.holdCall, ({ caller, params }) => calls.setHold(caller.tenant.id, params.id, supervisorOf(caller), true));
  route(app, accounts, operations.resumeCall, ({ caller, params }) => calls.setHold(caller.tenant.id, params.id, supervisorOf(caller), false));
}

/** 404 unless the caller may see the call: an agent cannot act on calls outside their queues. */
async function visibleCall(platform: Platform, caller: Caller, id: string): Promise<void> {
  if (!(await platform.calls.get(caller.tenant.id, id, scopeOfCaller(caller)))) throw notFound('call');
}

/** Who acts on a call, as the call layer sees them. */
export function supervisorOf(caller: Caller): Supervisor {
  return { userId: caller.user?.id ?? null, name: caller.user?.name ?? caller.label, scope: scopeOfCaller(caller) };
}
