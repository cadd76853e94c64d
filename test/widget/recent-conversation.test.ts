import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase, type Database, type Repositories } from '../../src/store/index.js';
import type { ConversationTurn } from '../../src/ai/session.js';
import { contactConversation, PRIOR_TURNS } from '../../src/widget/prior-conversation.js';

const said = (turns: ConversationTurn[]) => turns.map((t) => (t.role === 'tool' ? `tool ${t.name}` : t.text));

/**
 * A chat turn of a contact with calls reads only the last lines of each side (store queries with a limit), and
 * the merge still matches what the whole conversation would give. On embedded PGlite (the SQL is the same on PostgreSQL).
 */
describe('the recent conversation of a contact', () => {
  let database: Database;
  let repos: Repositories;
  let dir: string;
  let tenantId: string;
  let contactId: string;
  let earlyCall: string;
  let lateCall: string;
  const seqs: number[] = [];

  const addCall = async (contact: string, startedAt: Date, lines: string[]) => {
    const { call } = await repos.calls.createOrGet({
      id: crypto.randomUUID(), tenantId, direction: 'inbound', carrier: 'browser', carrierCallId: null, fromNumber: 'browser', toNumber: 'browser',
      agentKind: 'flow:book', state: 'completed', startedAt, metadata: { contactId: contact },
    });
    for (const [i, text] of lines.entries()) {
      await repos.callTimeline.addSegment({ callId: call.id, tenantId, speaker: i % 2 ? 'caller' : 'agent', text, startMs: i * 1000, endMs: i * 1000 + 500 });
    }
    return call.id;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-widget-recent-'));
    database = await openDatabase({ dataDir: dir });
    await database.migrate();
    repos = createRepositories(database.db);
    tenantId = (await repos.tenants.create({ name: 'R', slug: 'recent' })).id;
    const key = await repos.widget.createKey({ tenantId, name: 'site', key: 'wk_recent', allowedOrigins: [], flow: 'book', createdBy: null });
    contactId = (await repos.widget.createContact(tenantId, key.id)).id;
    const other = (await repos.widget.createContact(tenantId, key.id)).id;
    // An hour ago: a call of 30 lines (one of them blank); then 50 chat messages with system notes between them.
    earlyCall = await addCall(contactId, new Date(Date.now() - 3600_000), Array.from({ length: 30 }, (_, i) => (i === 7 ? '  ' : `early ${i}`)));
    for (let i = 0; i < 50; i++) {
      const { row } = await repos.widget.appendMessage({ tenantId, contactId, clientId: null, author: i % 2 ? 'visitor' : 'agent', text: `chat ${i}`, channel: 'chat' });
      seqs.push(row.seq);
      if (i % 10 === 0) await repos.widget.appendMessage({ tenantId, contactId, clientId: null, author: 'system', text: 'Handing over', channel: 'chat' });
    }
    await repos.widget.appendMessage({ tenantId, contactId, clientId: null, author: 'visitor', text: ' \n', channel: 'chat' });
    // Later: a second call of 5 lines; another contact's call must never show.
    lateCall = await addCall(contactId, new Date(Date.now() + 3600_000), ['late 0', 'late 1', 'late 2', 'late 3', 'late 4']);
    await addCall(other, new Date(Date.now() + 7200_000), ['not this contact']);
  });

  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps the last ${PRIOR_TURNS} turns of chat and calls, in the order they were said`, async () => {
    const turns = await contactConversation(repos, tenantId, contactId);
    expect(turns).toHaveLength(PRIOR_TURNS);
    expect(said(turns)).toEqual([
      ...Array.from({ length: 35 }, (_, i) => `chat ${i + 15}`),
      'late 0', 'late 1', 'late 2', 'late 3', 'late 4',
    ]);
    expect(turns[0]).toEqual({ role: 'caller', text: 'chat 15' });
    expect(turns.at(-1)).toEqual({ role: 'agent', text: 'late 4' });
    expect(turns[1]).toEqual({ role: 'agent', text: 'chat 16' });
  });

  it('reads at most the limit from each side: a small limit, the current call left out, older messages only', async () => {
    expect(said(await contactConversation(repos, tenantId, contactId, { limit: 3, excludeCall: lateCall }))).toEqual(['chat 47', 'chat 48', 'chat 49']);
    // Before the 10th message (the later call left out): the early call (its blank line left out), then the first 9 messages.
    const before = await contactConversation(repos, tenantId, contactId, { beforeSeq: seqs[9]!, excludeCall: lateCall });
    expect(said(before)).toEqual([
      ...Array.from({ length: 30 }, (_, i) => `early ${i}`).filter((t) => t !== 'early 7'),
      ...Array.from({ length: 9 }, (_, i) => `chat ${i}`),
    ]);
    const chat = await repos.widget.recentChat(tenantId, contactId, { limit: 4 });
    expect(chat.map((m) => m.text)).toEqual(['chat 46', 'chat 47', 'chat 48', 'chat 49']);
    const lines = await repos.widget.recentCallLines(tenantId, contactId, { limit: 2, excludeCall: lateCall });
    expect(lines.map((l) => [l.callId, l.text])).toEqual([[earlyCall, 'early 28'], [earlyCall, 'early 29']]);
  });
});
