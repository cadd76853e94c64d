import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** One Postgres schema for PGlite and PostgreSQL alike; migrations in /migrations are generated from it. */

/** Millisecond precision, like the JS Dates the API and cursors carry: keyset pagination stays exact. */
const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow();

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  name: text('name').notNull(),
  slug: text('slug').notNull(),
  scenario: text('scenario'),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('tenants_slug_key').on(t.slug)]);

export const users = pgTable('users', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  /** Queues whose calls an agent sees and may take over (supervisors and admins see all). */
  queues: jsonb('queues').$type<string[]>().notNull().default(['general']),
  passwordHash: text('password_hash').notNull(),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('users_email_key').on(t.email), index('users_tenant_idx').on(t.tenantId, t.createdAt)]);

export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  role: text('role').notNull(),
  prefix: text('prefix').notNull(),
  keyHash: text('key_hash').notNull(),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
}, (t) => [uniqueIndex('api_keys_hash_key').on(t.keyHash), index('api_keys_tenant_idx').on(t.tenantId, t.createdAt)]);

/** Browser logins. The cookie carries a random token; only its SHA-256 is stored. */
export const loginSessions = pgTable('login_sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  csrfToken: text('csrf_token').notNull(),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const flagOverrides = pgTable('flag_overrides', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  flag: text('flag').notNull(),
  value: text('value').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.flag] })]);

/** Who changed which flag or scenario, and when. Append only. */
export const flagChanges = pgTable('flag_changes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  subject: text('subject').notNull(),
  oldValue: text('old_value'),
  newValue: text('new_value'),
  changedBy: text('changed_by').notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, (t) => [index('flag_changes_tenant_idx').on(t.tenantId, t.changedAt)]);

/** Conversation sessions created through the bootstrap API. */
export const conversationSessions = pgTable('conversation_sessions', {
  id: uuid('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  channel: text('channel').notNull(),
  status: text('status').notNull(),
  provider: text('provider'),
  flow: text('flow'),
  persona: text('persona'),
  instructions: text('instructions'),
  language: text('language').notNull(),
  temperature: real('temperature'),
  phoneNumber: text('phone_number'),
  campaign: text('campaign'),
  metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
  endReason: text('end_reason'),
}, (t) => [index('conversation_sessions_tenant_idx').on(t.tenantId, t.createdAt, t.id)]);

/** Secrets every instance must share (e.g. the token-signing key), created once. */
export const systemSecrets = pgTable('system_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

/**
 * A tenant's account at a carrier. `credentials` is the JSON of its secrets sealed with AES-256-GCM (key derived from
 * the platform signing secret); `public_id` is what may be shown (account SID, connection id). `demo` marks locally
 * generated credentials a simulator may read back.
 */
export const carrierAccounts = pgTable('carrier_accounts', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  carrier: text('carrier').notNull(),
  publicId: text('public_id'),
  credentials: text('credentials').notNull(),
  demo: boolean('demo').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, (t) => [uniqueIndex('carrier_accounts_tenant_carrier_key').on(t.tenantId, t.carrier)]);

/** A phone number (E.164, unique across tenants: inbound calls find their tenant by it) and what answers it. */
export const phoneNumbers = pgTable('phone_numbers', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  number: text('number').notNull(),
  carrier: text('carrier').notNull(),
  agentKind: text('agent_kind').notNull(),
  flowId: text('flow_id'),
  greeting: text('greeting'),
  options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, (t) => [uniqueIndex('phone_numbers_number_key').on(t.number), index('phone_numbers_tenant_idx').on(t.tenantId, t.createdAt, t.id)]);

/** One call, inbound or outbound, on any carrier. `(carrier, carrier_call_id)` makes a repeated webhook one call. */
export const calls = pgTable('calls', {
  id: uuid('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  direction: text('direction').notNull(),
  carrier: text('carrier').notNull(),
  carrierCallId: text('carrier_call_id'),
  fromNumber: text('from_number').notNull(),
  toNumber: text('to_number').notNull(),
  numberId: uuid('number_id').references(() => phoneNumbers.id, { onDelete: 'set null' }),
  agentKind: text('agent_kind').notNull(),
  state: text('state').notNull(),
  hangupCause: text('hangup_cause'),
  hangupSource: text('hangup_source'),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
  answeredAt: timestamp('answered_at', { withTimezone: true, mode: 'date' }),
  endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
  recordingPath: text('recording_path'),
  metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
  /** Which agents see the call: the number's `options.queue`, else 'general'. */
  queue: text('queue').notNull().default('general'),
  /** The user who answered or took the call over; null while only the AI (or nobody) has it. */
  assigneeUserId: uuid('assignee_user_id').references(() => users.id, { onDelete: 'set null' }),
  /** A person took the call over: its AI agent neither hears the caller nor speaks until handed back. */
  aiPaused: boolean('ai_paused').notNull().default(false),
  /** Transferred to the assignee (an agent): on hold until they take it over; cleared by a takeover or resume. */
  awaitingAssignee: boolean('awaiting_assignee').notNull().default(false),
  /** The instance holding the call's media (leg); supervisor sockets must reach that one. Null before media came. */
  mediaInstance: text('media_instance'),
}, (t) => [
  uniqueIndex('calls_carrier_call_key').on(t.carrier, t.carrierCallId),
  index('calls_tenant_idx').on(t.tenantId, t.startedAt, t.id),
  // The ringing sweeper looks only at calls whose media never came: a small partial index.
  index('calls_ringing_idx').on(t.startedAt).where(sql`${t.state} = 'ringing'`),
  // A contact's timeline finds its calls (widget voice calls carry metadata.contactId); only those calls are indexed.
  index('calls_contact_idx').on(t.tenantId, sql`(${t.metadata}->>'contactId')`).where(sql`(${t.metadata}->>'contactId') is not null`),
]);

/** The timeline of a call: state transitions and agent events, appended as they happen. */
export const callEvents = pgTable('call_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  callId: uuid('call_id').notNull().references(() => calls.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  type: text('type').notNull(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
}, (t) => [index('call_events_call_idx').on(t.callId, t.id)]);

/** Final transcript segments of a call; times are ms from the start of the call's media (the recording). */
export const transcriptSegments = pgTable('transcript_segments', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  callId: uuid('call_id').notNull().references(() => calls.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  speaker: text('speaker').notNull(),
  text: text('text').notNull(),
  startMs: integer('start_ms').notNull(),
  endMs: integer('end_ms').notNull(),
  createdAt: createdAt(),
}, (t) => [index('transcript_segments_call_idx').on(t.callId, t.startMs)]);

/** A tenant's flow (scripted conversation); `key` is how phone numbers and campaigns name it. */
export const flows = pgTable('flows', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  key: text('key').notNull(),
  name: text('name').notNull(),
  latestVersion: integer('latest_version').notNull().default(0),
  publishedVersion: integer('published_version'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, (t) => [uniqueIndex('flows_tenant_key_key').on(t.tenantId, t.key), index('flows_tenant_idx').on(t.tenantId, t.createdAt, t.id)]);

/** Every saved definition of a flow, numbered 1, 2, …; drafts until published. */
export const flowVersions = pgTable('flow_versions', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  flowId: uuid('flow_id').notNull().references(() => flows.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
  status: text('status').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
}, (t) => [uniqueIndex('flow_versions_flow_version_key').on(t.flowId, t.version), index('flow_versions_flow_idx').on(t.flowId, t.createdAt, t.id)]);

/** Public keys of the embeddable web widget: tenant-scoped, revocable, only for the widget's endpoints. */
export const widgetKeys = pgTable('widget_keys', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** Public by design (it sits in customers' pages), so stored as is; origins limit where it works. */
  key: text('key').notNull(),
  allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull().default([]),
  /** The flow (by key) that answers chats and voice calls from this widget. */
  flow: text('flow').notNull(),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
}, (t) => [uniqueIndex('widget_keys_key_key').on(t.key), index('widget_keys_tenant_idx').on(t.tenantId, t.createdAt, t.id)]);

/** A visitor of the widget: one contact across chat and voice. `flowState` carries the chat's flow context. */
export const contacts = pgTable('contacts', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  widgetKeyId: uuid('widget_key_id').references(() => widgetKeys.id, { onDelete: 'set null' }),
  flowState: jsonb('flow_state').$type<Record<string, unknown>>(),
  createdAt: createdAt(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
}, (t) => [index('contacts_tenant_idx').on(t.tenantId, t.createdAt, t.id)]);

/** Chat messages of a contact in order; `clientId` (from the visitor's page) makes resends idempotent. */
export const conversationMessages = pgTable('conversation_messages', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  id: uuid('id').notNull().default(sql`gen_random_uuid()`),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
  clientId: text('client_id'),
  author: text('author').notNull(),
  text: text('text').notNull(),
  channel: text('channel').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('conversation_messages_client_key').on(t.contactId, t.clientId), index('conversation_messages_contact_idx').on(t.contactId, t.seq)]);

/** A tenant's AI provider routing (issue 6): policy and per-provider priority, weight, enabled. Absent: the scenario's. */
export const providerRouting = pgTable('provider_routing', {
  tenantId: uuid('tenant_id').primaryKey().references(() => tenants.id, { onDelete: 'cascade' }),
  policy: text('policy').notNull(),
  providers: jsonb('providers').$type<Array<{ name: string; priority?: number; weight?: number; enabled: boolean }>>().notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** A flow's own AI provider routing, overriding its tenant's for calls that run (or name) the flow; gone with the flow. */
export const flowProviderRouting = pgTable('flow_provider_routing', {
  flowId: uuid('flow_id').primaryKey().references(() => flows.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  policy: text('policy').notNull(),
  providers: jsonb('providers').$type<Array<{ name: string; priority?: number; weight?: number; enabled: boolean }>>().notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
