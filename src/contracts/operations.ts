import { z } from 'zod';
import * as accounts from './accounts.js';
import * as calls from './calls.js';
import { emptyObject, errorSchema, idParams, pageOf, pageQuery, type Role } from './common.js';
import * as flags from './flags.js';
import * as flows from './flows.js';
import * as providers from './providers.js';
import * as sessions from './sessions.js';
import * as system from './system.js';
import * as telephony from './telephony.js';
import * as widget from './widget.js';

/**
 * Every HTTP operation of the API: path, schemas and the roles allowed. The server registers routes from this
 * table and the console's typed client calls through it, so neither writes a path or a shape by hand.
 */
export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  summary: string;
  tag: string;
  /** `public`: no credentials; `any`: any signed-in role; else the roles allowed. */
  access: 'public' | 'any' | readonly Role[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Success status → schema. Errors always use the shared error shape. */
  responses: Record<number, z.ZodType>;
}

const op = <T extends Operation>(o: T): T => o;
const ADMIN = ['admin'] as const;
const STAFF = ['admin', 'supervisor', 'agent'] as const;
const EVERYONE = ['admin', 'supervisor', 'agent', 'analyst'] as const;
const FLOW_WRITERS = ['admin', 'supervisor'] as const;
const PROVIDER_VIEWERS = ['admin', 'supervisor', 'analyst'] as const;

export const operations = {
  health: op({ method: 'GET', path: '/health', summary: 'Process is alive', tag: 'operations', access: 'public',
    responses: { 200: system.healthResponse } }),
  ready: op({ method: 'GET', path: '/ready', summary: 'Dependencies are reachable and migrations applied', tag: 'operations',
    access: 'public', responses: { 200: system.readyResponse, 503: system.readyResponse } }),

  login: op({ method: 'POST', path: '/api/v1/auth/login', summary: 'Sign in; sets the session cookie', tag: 'auth',
    access: 'public', body: accounts.loginRequest, responses: { 200: accounts.principalSchema } }),
  logout: op({ method: 'POST', path: '/api/v1/auth/logout', summary: 'Sign out', tag: 'auth', access: 'any',
    body: emptyObject.optional(), responses: { 204: z.null() } }),
  me: op({ method: 'GET', path: '/api/v1/auth/me', summary: 'Who is calling', tag: 'auth', access: 'any',
    responses: { 200: accounts.principalSchema } }),

  listUsers: op({ method: 'GET', path: '/api/v1/users', summary: 'List users of the tenant', tag: 'users', access: ADMIN,
    query: pageQuery.extend(accounts.usersQuery.shape), responses: { 200: pageOf(accounts.userSchema) } }),
  createUser: op({ method: 'POST', path: '/api/v1/users', summary: 'Create a user', tag: 'users', access: ADMIN,
    body: accounts.createUserRequest, responses: { 201: accounts.userSchema } }),
  getUser: op({ method: 'GET', path: '/api/v1/users/:id', summary: 'One user', tag: 'users', access: ADMIN,
    params: idParams, responses: { 200: accounts.userSchema } }),
  setUserQueues: op({ method: 'PUT', path: '/api/v1/users/:id/queues', summary: 'Replace a user\'s queues (an agent\'s board follows at once)', tag: 'users',
    access: ADMIN, params: idParams, body: accounts.userQueuesRequest, responses: { 200: accounts.userSchema } }),

  listApiKeys: op({ method: 'GET', path: '/api/v1/api-keys', summary: 'List API keys', tag: 'api-keys', access: ADMIN,
    query: pageQuery, responses: { 200: pageOf(accounts.apiKeySchema) } }),
  createApiKey: op({ method: 'POST', path: '/api/v1/api-keys', summary: 'Create an API key (secret shown once)',
    tag: 'api-keys', access: ADMIN, body: accounts.createApiKeyRequest, responses: { 201: accounts.createdApiKeySchema } }),
  revokeApiKey: op({ method: 'DELETE', path: '/api/v1/api-keys/:id', summary: 'Revoke an API key', tag: 'api-keys',
    access: ADMIN, params: idParams, responses: { 200: accounts.apiKeySchema } }),

  listFlags: op({ method: 'GET', path: '/api/v1/flags', summary: 'Effective feature flags for the caller, with sources',
    tag: 'flags', access: EVERYONE, responses: { 200: flags.flagsResponse } }),
  setFlag: op({ method: 'PUT', path: '/api/v1/flags/:name', summary: 'Override a flag for the tenant', tag: 'flags',
    access: ADMIN, params: flags.flagParams, body: flags.setFlagRequest, responses: { 200: flags.effectiveFlagSchema } }),
  clearFlag: op({ method: 'DELETE', path: '/api/v1/flags/:name', summary: 'Remove the tenant override of a flag',
    tag: 'flags', access: ADMIN, params: flags.flagParams, responses: { 200: flags.effectiveFlagSchema } }),
  listFlagChanges: op({ method: 'GET', path: '/api/v1/flags/changes', summary: 'Who changed which flag or scenario',
    tag: 'flags', access: ADMIN, query: pageQuery, responses: { 200: pageOf(flags.flagChangeSchema) } }),
  listScenarios: op({ method: 'GET', path: '/api/v1/scenarios', summary: 'Demo scenarios and the active one',
    tag: 'flags', access: EVERYONE, responses: { 200: flags.scenariosResponse } }),
  setScenario: op({ method: 'PUT', path: '/api/v1/scenario', summary: 'Activate a demo scenario for the tenant',
    tag: 'flags', access: ADMIN, body: flags.setScenarioRequest, responses: { 200: flags.scenariosResponse } }),

  createSession: op({ method: 'POST', path: '/api/v1/sessions', summary: 'Create a conversation session', tag: 'sessions',
    access: STAFF, body: sessions.createSessionRequest, responses: { 201: sessions.createdSessionSchema } }),
  listSessions: op({ method: 'GET', path: '/api/v1/sessions', summary: 'List conversation sessions', tag: 'sessions',
    access: EVERYONE, query: pageQuery.extend(sessions.sessionsQuery.shape), responses: { 200: pageOf(sessions.sessionSchema) } }),
  getSession: op({ method: 'GET', path: '/api/v1/sessions/:id', summary: 'One conversation session', tag: 'sessions',
    access: EVERYONE, params: idParams, responses: { 200: sessions.sessionSchema } }),
  endSession: op({ method: 'POST', path: '/api/v1/sessions/:id/end', summary: 'End a conversation session',
    tag: 'sessions', access: STAFF, params: idParams, body: sessions.endSessionRequest.optional(),
    responses: { 200: sessions.sessionSchema } }),

  listCalls: op({ method: 'GET', path: '/api/v1/calls', summary: 'List calls, newest first', tag: 'calls', access: EVERYONE,
    query: pageQuery.extend(calls.callsQuery.shape), responses: { 200: pageOf(calls.callSchema) } }),
  getCall: op({ method: 'GET', path: '/api/v1/calls/:id', summary: 'One call with its timeline and transcript', tag: 'calls',
    access: EVERYONE, params: idParams, responses: { 200: calls.callDetailSchema } }),
  getCallRecording: op({ method: 'GET', path: '/api/v1/calls/:id/recording', summary: 'The call\'s dual-channel WAV recording (Range requests answer 206)',
    tag: 'calls', access: EVERYONE, params: idParams, responses: { 200: calls.recordingBody, 206: calls.recordingBody } }),
  createCall: op({ method: 'POST', path: '/api/v1/calls', summary: 'Place an outbound call through the tenant\'s carrier', tag: 'calls',
    access: STAFF, body: calls.createCallRequest, responses: { 201: calls.callSchema } }),
  hangupCall: op({ method: 'POST', path: '/api/v1/calls/:id/hangup', summary: 'Hang up a call', tag: 'calls', access: STAFF,
    params: idParams, body: calls.hangupCallRequest.optional(), responses: { 200: calls.callSchema } }),
  transferCall: op({ method: 'POST', path: '/api/v1/calls/:id/transfer',
    summary: 'Transfer a call: cold to a number or SIP URI ({to}), or to an agent ({agentId}: held until they take it over)',
    tag: 'calls', access: STAFF, params: idParams, body: calls.transferCallRequest, responses: { 200: calls.callSchema } }),
  listTransferAgents: op({ method: 'GET', path: '/api/v1/transfer-agents', summary: 'The agents and supervisors a call can be transferred to',
    tag: 'calls', access: STAFF, responses: { 200: calls.transferAgentsResponse } }),
  takeoverCall: op({ method: 'POST', path: '/api/v1/calls/:id/takeover', summary: 'Pause the AI agent and take the call over (then join its media socket)',
    tag: 'calls', access: STAFF, params: idParams, responses: { 200: calls.callSchema } }),
  resumeCallAi: op({ method: 'POST', path: '/api/v1/calls/:id/resume-ai', summary: 'Hand a taken-over call back to its AI agent',
    tag: 'calls', access: STAFF, params: idParams, responses: { 200: calls.callSchema } }),
  holdCall: op({ method: 'POST', path: '/api/v1/calls/:id/hold', summary: 'Put a call on hold: the caller hears hold audio, the AI agent neither hears nor speaks',
    tag: 'calls', access: STAFF, params: idParams, responses: { 200: calls.callSchema } }),
  resumeCall: op({ method: 'POST', path: '/api/v1/calls/:id/resume', summary: 'Take a call off hold: the hold audio stops, the AI agent hears and speaks again',
    tag: 'calls', access: STAFF, params: idParams, responses: { 200: calls.callSchema } }),

  listCarriers: op({ method: 'GET', path: '/api/v1/carriers', summary: 'The tenant\'s carrier accounts (no secrets)', tag: 'carriers',
    access: ADMIN, responses: { 200: telephony.carrierAccountsResponse } }),
  getCarrier: op({ method: 'GET', path: '/api/v1/carriers/:carrier', summary: 'One carrier account (no secrets)', tag: 'carriers',
    access: ADMIN, params: telephony.carrierParams, responses: { 200: telephony.carrierAccountSchema } }),
  putCarrier: op({ method: 'PUT', path: '/api/v1/carriers/:carrier', summary: 'Set the carrier\'s credentials (stored encrypted)',
    tag: 'carriers', access: ADMIN, params: telephony.carrierParams, body: telephony.putCarrierRequest, responses: { 200: telephony.carrierAccountSchema } }),
  deleteCarrier: op({ method: 'DELETE', path: '/api/v1/carriers/:carrier', summary: 'Remove the carrier\'s credentials', tag: 'carriers',
    access: ADMIN, params: telephony.carrierParams, responses: { 200: telephony.carrierAccountSchema } }),
  getSimulatorCredentials: op({ method: 'GET', path: '/api/v1/carriers/:carrier/simulator-credentials',
    summary: 'Demo credentials with secrets, for the call simulator (demo accounts only)', tag: 'carriers', access: ADMIN,
    params: telephony.carrierParams, responses: { 200: telephony.simulatorCredentialsSchema } }),

  listNumbers: op({ method: 'GET', path: '/api/v1/numbers', summary: 'The tenant\'s phone numbers', tag: 'numbers', access: EVERYONE,
    query: pageQuery.extend(telephony.numbersQuery.shape), responses: { 200: pageOf(telephony.phoneNumberSchema) } }),
  createNumber: op({ method: 'POST', path: '/api/v1/numbers', summary: 'Add a phone number and what answers it', tag: 'numbers',
    access: ADMIN, body: telephony.createNumberRequest, responses: { 201: telephony.phoneNumberSchema } }),
  getNumber: op({ method: 'GET', path: '/api/v1/numbers/:id', summary: 'One phone number', tag: 'numbers', access: EVERYONE,
    params: idParams, responses: { 200: telephony.phoneNumberSchema } }),
  updateNumber: op({ method: 'PUT', path: '/api/v1/numbers/:id', summary: 'Change what answers a number', tag: 'numbers',
    access: ADMIN, params: idParams, body: telephony.updateNumberRequest, responses: { 200: telephony.phoneNumberSchema } }),
  deleteNumber: op({ method: 'DELETE', path: '/api/v1/numbers/:id', summary: 'Remove a phone number', tag: 'numbers',
    access: ADMIN, params: idParams, responses: { 200: telephony.phoneNumberSchema } }),

  listFlows: op({ method: 'GET', path: '/api/v1/flows', summary: 'The tenant\'s flows, newest first', tag: 'flows', access: EVERYONE,
    query: pageQuery, responses: { 200: pageOf(flows.flowSchema) } }),
  createFlow: op({ method: 'POST', path: '/api/v1/flows', summary: 'Create a flow from a definition (version 1, a draft unless publish is set)',
    tag: 'flows', access: FLOW_WRITERS, body: flows.createFlowRequest, responses: { 201: flows.flowDetailSchema } }),
  validateFlow: op({ method: 'POST', path: '/api/v1/flows/validate', summary: 'Check a flow definition without saving it: errors and warnings with JSON paths',
    tag: 'flows', access: EVERYONE, body: flows.validateFlowRequest, responses: { 200: flows.flowValidationSchema } }),
  getFlow: op({ method: 'GET', path: '/api/v1/flows/:flow', summary: 'One flow (by id or key) with its latest and published versions',
    tag: 'flows', access: EVERYONE, params: flows.flowParams, responses: { 200: flows.flowDetailSchema } }),
  listFlowVersions: op({ method: 'GET', path: '/api/v1/flows/:flow/versions', summary: 'A flow\'s versions, newest first', tag: 'flows',
    access: EVERYONE, params: flows.flowParams, query: pageQuery, responses: { 200: pageOf(flows.flowVersionSummarySchema) } }),
  createFlowVersion: op({ method: 'POST', path: '/api/v1/flows/:flow/versions', summary: 'Save a new version of a flow as a draft',
    tag: 'flows', access: FLOW_WRITERS, params: flows.flowParams, body: flows.createFlowVersionRequest, responses: { 201: flows.flowVersionSchema } }),
  getFlowVersion: op({ method: 'GET', path: '/api/v1/flows/:flow/versions/:version', summary: 'One version of a flow with its definition and validation',
    tag: 'flows', access: EVERYONE, params: flows.flowVersionParams, responses: { 200: flows.flowVersionSchema } }),
  publishFlowVersion: op({ method: 'POST', path: '/api/v1/flows/:flow/versions/:version/publish', summary: 'Make a version the one calls run (it must have no errors)',
    tag: 'flows', access: FLOW_WRITERS, params: flows.flowVersionParams, body: emptyObject.optional(), responses: { 200: flows.flowVersionSchema } }),

  getProvidersHealth: op({ method: 'GET', path: '/api/v1/providers/health', summary: 'AI providers: status, latency (EWMA, p95), error rate, breaker, last failure',
    tag: 'providers', access: PROVIDER_VIEWERS, responses: { 200: providers.providersHealthResponse } }),
  getProvidersHealthHistory: op({ method: 'GET', path: '/api/v1/providers/health/history', summary: 'Recent probe and session samples of the AI providers, oldest first',
    tag: 'providers', access: PROVIDER_VIEWERS, query: providers.providerHealthHistoryQuery, responses: { 200: providers.providerHealthHistoryResponse } }),
  getProviderRouting: op({ method: 'GET', path: '/api/v1/providers/routing', summary: 'The AI provider routing policy of the tenant (or of a flow: ?flow=), with each provider\'s health and breaker',
    tag: 'providers', access: PROVIDER_VIEWERS, query: providers.providerRoutingQuery, responses: { 200: providers.providerRoutingResponse } }),
  putProviderRouting: op({ method: 'PUT', path: '/api/v1/providers/routing', summary: 'Set the tenant\'s AI provider routing policy (or a flow\'s own: ?flow=)',
    tag: 'providers', access: ADMIN, query: providers.providerRoutingQuery, body: providers.providerRoutingSchema, responses: { 200: providers.providerRoutingResponse } }),
  deleteProviderRouting: op({ method: 'DELETE', path: '/api/v1/providers/routing', summary: 'Drop a flow\'s own routing (?flow=; it follows the tenant\'s) or the tenant\'s (back to the scenario\'s); answers the routing now in force',
    tag: 'providers', access: ADMIN, query: providers.providerRoutingQuery, responses: { 200: providers.providerRoutingResponse } }),
  switchCallProvider: op({ method: 'POST', path: '/api/v1/calls/:id/provider', summary: 'Move a live AI call to another provider (recorded as a manual switch)',
    tag: 'providers', access: FLOW_WRITERS, params: idParams, body: providers.switchCallProviderRequest, responses: { 200: providers.switchCallProviderResponse } }),
  listWidgetKeys: op({ method: 'GET', path: '/api/v1/widget-keys', summary: 'List web widget keys', tag: 'widget', access: ADMIN,
    query: pageQuery, responses: { 200: pageOf(widget.widgetKeySchema) } }),
  createWidgetKey: op({ method: 'POST', path: '/api/v1/widget-keys', summary: 'Create a public web widget key for some origins',
    tag: 'widget', access: ADMIN, body: widget.createWidgetKeyRequest, responses: { 201: widget.widgetKeySchema } }),
  revokeWidgetKey: op({ method: 'DELETE', path: '/api/v1/widget-keys/:id', summary: 'Revoke a web widget key', tag: 'widget',
    access: ADMIN, params: idParams, responses: { 200: widget.widgetKeySchema } }),
  startWidgetCall: op({ method: 'POST', path: '/api/v1/widget/calls', summary: 'Start a browser-voice call from the widget for its contact (widget key + page origin)',
    tag: 'widget', access: 'public', body: widget.startWidgetCallRequest, responses: { 201: sessions.createdSessionSchema } }),
  contactTimeline: op({ method: 'GET', path: '/api/v1/contacts/:id/timeline', summary: 'Chat messages and calls of a contact, in order',
    tag: 'widget', access: STAFF, params: idParams, responses: { 200: widget.contactTimelineSchema } }),
} satisfies Record<string, Operation>;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export { errorSchema };

/** WebSocket endpoints (GET + upgrade). Their messages are `eventsClientMessage`/`sessionClientMessage` and friends. */
export const socketEndpoints = {
  events: { path: '/api/v1/events', summary: 'Live domain events of the tenant (WebSocket; cookie or API key)', access: 'any' },
  callMedia: { path: '/api/v1/calls/:id/media', summary: 'A live call\'s audio, PCM16 16 kHz (WebSocket; ?mode=takeover: agent of the queue after takeover, listen/whisper: supervisor, admin)', access: 'any' },
  sessionSocket: { path: '/api/v1/sessions/:id/socket', summary: 'Join a conversation session (WebSocket; ?token= from the bootstrap)', access: 'public' },
  widgetSocket: { path: '/api/v1/widget/socket', summary: 'Web widget chat (WebSocket; ?key= widget key, &contact= signed contact token)', access: 'public' },
} as const;
