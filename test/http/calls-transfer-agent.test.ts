import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { int16ToPcm16le, sine } from '../../src/media/index.js';
import { liveCall } from '../support/calls.js';
import { signedInClient, type TestClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSocket } from '../support/ws.js';

/** Transfer to an agent: the call is held for them, shows on their board and events socket, and their takeover resumes it. */
let server: TestServer;
let admin: TestClient;
let supervisor: TestClient;
let agentGeneral: TestClient;
let agentSales: TestClient;
let analyst: TestClient;
const SALES_NUMBER = '+15005550199';
const people: Record<'supervisor' | 'general' | 'sales' | 'analyst' | 'admin' | 'foreign', string> = {
  supervisor: '', general: '', sales: '', analyst: '', admin: '', foreign: '',
};

beforeAll(async () => {
  server = await startTestServer();
  admin = await signedInClient(server);
  const { accounts, repos } = server.platform;
  const demo = (await repos.tenants.bySlug('demo'))!;
  people.supervisor = (await accounts.createUser(demo.id, { email: 'sup@demo.test', name: 'Sue Pervisor', role: 'supervisor', password: 'supervisor-password' })).id;
  people.general = (await accounts.createUser(demo.id, { email: 'gen@demo.test', name: 'Gen Agent', role: 'agent', password: 'agent-password-1' })).id;
  people.sales = (await accounts.createUser(demo.id, { email: 'sales@demo.test', name: 'Sal Agent', role: 'agent', password: 'agent-password-2' })).id;
  await repos.users.setQueues(demo.id, people.sales, ['sales']);
  people.analyst = (await accounts.createUser(demo.id, { email: 'ana@demo.test', name: 'Ana Lyst', role: 'analyst', password: 'analyst-password' })).id;
  people.admin = (await admin.get('/api/v1/auth/me')).body.user.id;
  const other = await repos.tenants.create({ name: 'Other', slug: 'other' });
  expect((await admin.post('/api/v1/numbers', { number: SALES_NUMBER, carrier: 'twilio', agentKind: 'echo', options: { queue: 'sales' } })).status).toBe(201);
  people.foreign = (await accounts.createUser(other.id, { email: 'agent@other.test', name: 'Foreign Agent', role: 'agent', password: 'agent-password-3' })).id;
  supervisor = await signedInClient(server, 'sup@demo.test', 'supervisor-password');
  agentGeneral = await signedInClient(server, 'gen@demo.test', 'agent-password-1');
  agentSales = await signedInClient(server, 'sales@demo.test', 'agent-password-2');
  analyst = await signedInClient(server, 'ana@demo.test', 'analyst-password');
});
afterAll(async () => { await server.close(); });

const wsUrl = (path: string) => `${server.url.replace('http', 'ws')}${path}`;
const ids = (body: { items: { id: string }[] }) => body.items.map((c) => c.id);
const until = async (check: () => boolean, timeoutMs = 3000) => {
  const end = Date.now() + timeoutMs;
  while (!check()) { if (Date.now() > end) throw new Error('condition not met in time'); await new Promise((r) => setTimeout(r, 10)); }
};

describe('transfer agents list', () => {
  it('gives any staff member the enabled agents and supervisors of their tenant (names and queues, no emails)', async () => {
    for (const client of [agentGeneral, supervisor, admin]) {
      const res = await client.get('/api/v1/transfer-agents');
      expect(res.status).toBe(200);
      expect(res.body.items.map((u: { id: string }) => u.id).sort()).toEqual([people.supervisor, people.general, people.sales].sort());
      expect(res.body.items.find((u: { id: string }) => u.id === people.sales)).toEqual({ id: people.sales, name: 'Sal Agent', role: 'agent', queues: ['sales'] });
    }
    expect((await analyst.get('/api/v1/transfer-agents')).status).toBe(403);
  });
});

describe('transfer to an agent', () => {
  it('holds the call with hold audio, assigns it to the agent, shows it on their board and events, and their takeover resumes it', async () => {
    const events = await openSocket(wsUrl('/api/v1/events'), { cookie: agentSales.cookie! });
    await events.inbox.next((m) => m.type === 'ready');
    const call = await liveCall(server.platform); // queue general: not the sales agent's
    expect(ids((await agentSales.get('/api/v1/calls?limit=100')).body)).not.toContain(call.callId);

    const moved = await agentGeneral.post(`/api/v1/calls/${call.callId}/transfer`, { agentId: people.sales });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ state: 'on-hold', assigneeUserId: people.sales, awaitingAssignee: true, aiPaused: false });
    // The caller hears hold audio; the AI is held.
    expect(call.session.onHold).toBe(true);
    await until(() => call.leg.sentAudio().length > 0);

    // The agent's board, detail and events socket now include the call, marked as waiting for them.
    const board = (await agentSales.get('/api/v1/calls?limit=100&state=on-hold')).body.items;
    expect(board.find((c: { id: string }) => c.id === call.callId)).toMatchObject({ assigneeUserId: people.sales, awaitingAssignee: true });
    const transferred = await events.inbox.next((m) => m.type === 'event' && m.event.type === 'call.event' && m.event.data.callId === call.callId && m.event.data.type === 'transfer.agent');
    expect(transferred.event.data.data).toMatchObject({ by: 'Gen Agent', toUserId: people.sales, toName: 'Sal Agent' });

    // The agent takes it over: off hold, AI paused, the call is theirs and no longer waiting.
    const taken = await agentSales.post(`/api/v1/calls/${call.callId}/takeover`, {});
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ state: 'in-progress', aiPaused: true, assigneeUserId: people.sales, awaitingAssignee: false });
    expect(call.session.onHold).toBe(false);
    expect(call.session.agentPaused).toBe(true);

    // Their browser joins the call's media and is heard by the caller (held audio would have dropped it).
    const human = await openSocket(wsUrl(`/api/v1/calls/${call.callId}/media?mode=takeover`), { cookie: agentSales.cookie! });
    await human.inbox.next((m) => m.type === 'ready');
    call.leg.sent.length = 0;
    const spoken = sine(1000, 16000, 16000 * 0.2, 0.4);
    for (let i = 0; i < spoken.length; i += 320) human.send(int16ToPcm16le(spoken.subarray(i, i + 320)));
    await until(() => call.leg.sentAudio().length >= 8000 * 0.15);
    human.close();
    events.close();

    await call.session.end('completed', 'test', 'platform');
    await server.platform.calls.records.settled(call.callId);
    const detail = (await agentSales.get(`/api/v1/calls/${call.callId}`)).body;
    expect(detail).toMatchObject({ state: 'completed', assigneeUserId: people.sales, awaitingAssignee: false });
    const marks = detail.timeline.filter((e: { type: string }) => ['hold', 'unhold', 'transfer.agent', 'takeover'].includes(e.type));
    expect(marks.map((e: { type: string }) => e.type)).toEqual(['hold', 'transfer.agent', 'unhold', 'takeover']);
    expect(marks[1].data).toMatchObject({ userId: people.general, by: 'Gen Agent', toUserId: people.sales, toName: 'Sal Agent' });
  });

  it('hands a taken-over call on: held for the next agent, whose takeover takes it off hold', async () => {
    const call = await liveCall(server.platform);
    expect((await agentGeneral.post(`/api/v1/calls/${call.callId}/takeover`, {})).status).toBe(200);
    const moved = await agentGeneral.post(`/api/v1/calls/${call.callId}/transfer`, { agentId: people.supervisor });
    expect(moved.body).toMatchObject({ state: 'on-hold', aiPaused: true, assigneeUserId: people.supervisor, awaitingAssignee: true });
    const taken = await supervisor.post(`/api/v1/calls/${call.callId}/takeover`, {});
    expect(taken.body).toMatchObject({ state: 'in-progress', aiPaused: true, assigneeUserId: people.supervisor, awaitingAssignee: false });
    await call.session.end('completed', 'test', 'platform');
  });

  it('tells an agent\'s events socket once that a call moved away from them, then stops carrying it', async () => {
    const events = await openSocket(wsUrl('/api/v1/events'), { cookie: agentSales.cookie! });
    await events.inbox.next((m) => m.type === 'ready');
    const call = await liveCall(server.platform); // queue general: the sales agent sees it only while it is theirs
    expect((await supervisor.post(`/api/v1/calls/${call.callId}/transfer`, { agentId: people.sales })).status).toBe(200);
    await events.inbox.next((m) => m.type === 'event' && m.event.data.callId === call.callId && m.event.data.type === 'transfer.agent');
    expect((await agentSales.post(`/api/v1/calls/${call.callId}/takeover`, {})).status).toBe(200);
    expect((await agentSales.post(`/api/v1/calls/${call.callId}/transfer`, { agentId: people.general })).status).toBe(200);
    const away = await events.inbox.next((m) => m.type === 'event' && m.event.data.callId === call.callId && m.event.data.type === 'transfer.agent'
      && m.event.data.data.toUserId === people.general);
    expect(away.event.data.data).toMatchObject({ by: 'Sal Agent', toName: 'Gen Agent' });
    expect(ids((await agentSales.get('/api/v1/calls?limit=100')).body)).not.toContain(call.callId);
    expect((await agentSales.get(`/api/v1/calls/${call.callId}`)).status).toBe(404);
    await call.session.end('completed', 'test', 'platform');
    await server.platform.calls.records.settled(call.callId);
    // A marker event after the end: everything before it has passed the filter.
    const marker = await liveCall(server.platform, { to: SALES_NUMBER });
    await events.inbox.next((m) => m.type === 'event' && m.event.data.callId === marker.callId);
    expect(events.inbox.seen.some((m) => m.type === 'event' && m.event.type === 'call.ended' && m.event.data.callId === call.callId)).toBe(false);
    await marker.session.end('completed', 'test', 'platform');
    events.close();
  });

  it('stops waiting when someone takes the call off hold (back to the AI), and when it ends', async () => {
    const call = await liveCall(server.platform);
    expect((await supervisor.post(`/api/v1/calls/${call.callId}/transfer`, { agentId: people.general })).status).toBe(200);
    const resumed = await supervisor.post(`/api/v1/calls/${call.callId}/resume`, {});
    expect(resumed.body).toMatchObject({ state: 'in-progress', aiPaused: false, assigneeUserId: people.general, awaitingAssignee: false });
    await call.session.end('completed', 'test', 'platform');

    // A call that ends while it waits (the caller hung up on hold) waits for nobody.
    const held = await liveCall(server.platform);
    expect((await supervisor.post(`/api/v1/calls/${held.callId}/transfer`, { agentId: people.general })).body.awaitingAssignee).toBe(true);
    await held.session.end('completed', 'caller-hangup', 'caller');
    await server.platform.calls.records.settled(held.callId);
    expect((await agentGeneral.get(`/api/v1/calls/${held.callId}`)).body).toMatchObject({ state: 'completed', awaitingAssignee: false });
  });

  it('answers uniform errors: 422 for an unknown, foreign or non-agent target, 404 for a call out of scope, 400 for a bad body', async () => {
    const call = await liveCall(server.platform);
    const transfer = (client: TestClient, body: unknown, id = call.callId) => client.post(`/api/v1/calls/${id}/transfer`, body);
    const unknown = await transfer(supervisor, { agentId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('unknown_agent');
    const foreign = await transfer(supervisor, { agentId: people.foreign });
    expect(foreign.status).toBe(422);
    expect({ ...foreign.body.error, requestId: null }).toEqual({ ...unknown.body.error, requestId: null }); // no probing of other tenants
    for (const id of [people.admin, people.analyst]) {
      const res = await transfer(supervisor, { agentId: id });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('not_an_agent');
    }
    expect((await transfer(supervisor, { agentId: people.supervisor })).body.error.code).toBe('same_agent');
    // An agent of another queue cannot see the call: 404 before anything else.
    expect((await transfer(agentSales, { agentId: people.general })).status).toBe(404);
    expect((await transfer(analyst, { agentId: people.general })).status).toBe(403);
    for (const body of [{ agentId: 'nope' }, { to: '+14155550124', agentId: people.general }, {}]) expect((await transfer(supervisor, body)).status).toBe(400);
    // Nothing moved.
    expect((await supervisor.get(`/api/v1/calls/${call.callId}`)).body).toMatchObject({ state: 'in-progress', assigneeUserId: null, awaitingAssignee: false });
    await call.session.end('completed', 'test', 'platform');
    const ended = await transfer(supervisor, { agentId: people.general });
    expect(ended.status).toBe(409);
    expect(ended.body.error.code).toBe('call_ended');
  });
});
