import { randomUUID } from 'node:crypto';
import { AccountService } from './accounts/service.js';
import { seedDemoTenant } from './accounts/seed.js';
import { registerAiAgents } from './ai/agents/index.js';
import { FlowLibrary } from './ai/flows/library.js';
import { seedExampleFlows } from './ai/flows/seed.js';
import { checkLocalSpeech } from './ai/local/availability.js';
import { createLocalSynthesizer } from './ai/local/tts.js';
import { ProviderMetrics } from './ai/router/metrics.js';
import { createAiSession, type ProviderConfig as AiProviderConfig } from './ai/agents/provider.js';
import { OpenAiCompatibleChat } from './ai/openai-compatible/index.js';
import { sessionProbe } from './ai/router/probes.js';
import { ProviderRouter } from './ai/router/router.js';
import { TenantFanout } from './ai/router/tenant-fanout.js';
import { TenantRouting, toRouterPolicy } from './ai/router/tenant-routing.js';
import { createAgentRegistry, type AgentRegistry } from './call/agents/index.js';
import { CarrierAccounts } from './call/carrier-accounts.js';
import { CarrierClients } from './call/carriers.js';
import { CredentialBox } from './call/credential-box.js';
import { seedDemoTelephony } from './call/demo-seed.js';
import { PhoneNumbers } from './call/numbers.js';
import { RecordingStore } from './call/recording/store.js';
import { CallService } from './call/service.js';
import { localTranscriber } from './call/supervision/local-transcriber.js';
import { flagOverridesFromEnv, publicUrl, recordingsDir, SettingsError, type Settings } from './config/settings.js';
import { flagValueSchema } from './contracts/flags.js';
import type { ProviderEventType } from './contracts/events.js';
import type { ProviderRouting as ProviderRoutingBody } from './contracts/providers.js';
import { FLAGS_BY_NAME } from './flags/catalogue.js';
import { SCENARIOS_BY_NAME } from './flags/scenarios.js';
import { FlagService } from './flags/service.js';
import { MemoryBus, RedisBus, type Bus } from './infra/bus.js';
import { createLogger, type Logger } from './infra/logger.js';
import { Metrics } from './infra/metrics.js';
import { MemorySessionState, RedisSessionState, type SessionState } from './infra/session-state.js';
import { RedisTelnyxWebhookState } from './infra/telnyx-webhook-state.js';
import { TelnyxWebhookGate } from './telephony/telnyx/index.js';
import { TokenSigner } from './infra/tokens.js';
import { SessionService } from './sessions/service.js';
import { Conversations } from './widget/conversation.js';
import { seedDemoWidget } from './widget/demo-seed.js';
import { chatContinuation } from './widget/continuity.js';
import { priorConversation } from './widget/prior-conversation.js';
import { WidgetKeys } from './widget/keys.js';
import { createRepositories, openDatabase, type Database, type Repositories } from './store/index.js';

/** Everything one Switchboard instance runs on, built once at start and closed once at shutdown. */
export interface Platform {
  settings: Settings;
  instanceId: string;
  publicUrl: string;
  log: Logger;
  metrics: Metrics;
  database: Database;
  repos: Repositories;
  bus: Bus;
  state: SessionState;
  signer: TokenSigner;
  accounts: AccountService;
  flags: FlagService;
  sessions: SessionService;
  /** Calls: carrier webhooks and media sockets call into this (admitCall, attach, carrierStatus). */
  calls: CallService;
  /** Carrier REST clients by carrier; the Twilio and Telnyx modules register theirs here. */
  carrierClients: CarrierClients;
  carrierAccounts: CarrierAccounts;
  numbers: PhoneNumbers;
  agents: AgentRegistry;
  recordings: RecordingStore;
  /** The tenants' flows (scripted conversations): versions, validation, the published definition a call runs. */
  flows: FlowLibrary;
  /** AI providers: health (probes + live sessions), breakers, routing and failover sessions. */
  providers: ProviderRouter;
  /** Each tenant's provider routing policy (stored, else from its scenario), used when its calls pick providers. */
  providerRouting: TenantRouting;
  /** The embeddable web widget: its keys and contacts' conversations (chat through the flow engine). */
  widget: { keys: WidgetKeys; conversations: Conversations; demoKey: string | null };
  /** Telnyx webhook dedup and call-phase ordering; shared through Redis when the fleet has it. */
  telnyxGate: TelnyxWebhookGate;
  startedAt: number;
  /** Reachability checks of optional dependencies, for /ready. */
  extraReadyChecks: { name: string; check: () => Promise<void> }[];
  close(): Promise<void>;
}

export interface PlatformOptions {
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** Where the generated admin password is printed (stdout by default). */
  print?: (line: string) => void;
}

/** Validates SWITCHBOARD_FLAG_* against the catalogue so a typo refuses to start instead of doing nothing. */
export function validatedFlagEnv(env: Record<string, string | undefined>): Record<string, string> {
  const overrides = flagOverridesFromEnv(env);
  const problems: string[] = [];
  for (const [name, value] of Object.entries(overrides)) {
    const variable = `SWITCHBOARD_FLAG_${name.toUpperCase().replaceAll('-', '_')}`;
    if (!FLAGS_BY_NAME.has(name)) problems.push(`${variable}: no flag named ${name}`);
    else if (!flagValueSchema.safeParse(value).success) problems.push(`${variable}=${JSON.stringify(value)}: must be on, off or a percentage like 25%`);
  }
  if (problems.length) throw new SettingsError(problems);
  return overrides;
}

export async function createPlatform(settings: Settings, options: PlatformOptions = {}): Promise<Platform> {
  const flagEnv = validatedFlagEnv(options.env ?? process.env);
  const log = options.logger ?? createLogger(settings.LOG_LEVEL);
  const metrics = new Metrics();
  const database = await openDatabase({ url: settings.DATABASE_URL, dataDir: settings.SWITCHBOARD_DATA_DIR, poolSize: settings.DATABASE_POOL_SIZE });
  const closers: (() => Promise<void>)[] = [() => database.close()];
  try {
    await database.migrate();
    const repos = createRepositories(database.db);
    const extraReadyChecks: Platform['extraReadyChecks'] = [];
    let bus: Bus;
    let state: SessionState;
    let telnyxGate: TelnyxWebhookGate;
    if (settings.REDIS_URL) {
      const redisBus = new RedisBus(settings.REDIS_URL, 'sb:', (reason) => metrics.rejectedInput.inc({ source: 'bus', reason }));
      const redisState = new RedisSessionState(settings.REDIS_URL);
      const webhookState = new RedisTelnyxWebhookState(settings.REDIS_URL);
      closers.unshift(() => webhookState.close());
      bus = redisBus;
      state = redisState;
      telnyxGate = new TelnyxWebhookGate(webhookState, webhookState);
      extraReadyChecks.push({ name: 'redis', check: () => redisBus.ping() });
    } else {
      bus = new MemoryBus();
      state = new MemorySessionState();
      telnyxGate = new TelnyxWebhookGate();
    }
    closers.unshift(() => bus.close(), () => state.close());

    const signingKey = settings.SWITCHBOARD_SECRET ?? await repos.secrets.getOrCreate('token-signing');
    const signer = new TokenSigner(signingKey);
    const instanceId = randomUUID();
    const url = publicUrl(settings);
    const accounts = new AccountService(repos);
    const flags = new FlagService(repos, settings.SWITCHBOARD_ENV, flagEnv, (tenantId, subject) => {
      void bus.publish({ id: randomUUID(), type: 'flags.changed', tenantId, at: new Date().toISOString(), data: { subject, instanceId } }).catch(() => {});
    });
    const sessions = new SessionService(repos, state, bus, signer, { ttlMs: settings.SWITCHBOARD_SESSION_TTL_S * 1000, publicUrl: url, instanceId });

    // The local TTS starts its worker on the first greeting only; agents fall back to a tone if it fails.
    const synthesizer = createLocalSynthesizer();
    closers.unshift(() => synthesizer.close());
    const agents = createAgentRegistry({ synthesizer });
    const carrierAccounts = new CarrierAccounts(repos, new CredentialBox(signingKey));
    const carrierClients = new CarrierClients();
    const recordings = new RecordingStore(recordingsDir(settings));
    const calls = new CallService({
      repos, bus, log, signer, accounts: carrierAccounts, clients: carrierClients, agents, recordings,
      onPublish: (type) => metrics.busEvents.inc({ type }), features: flags,
      ringTimeoutMs: settings.SWITCHBOARD_RING_TIMEOUT_S * 1000,
      // Taken-over calls are transcribed with the local recognizer (said once and skipped when it is missing).
      instanceId, transcriber: localTranscriber({ log }),
    });
    closers.unshift(() => calls.close()); // first: live calls end while the bus and database are still up
    const numbers = new PhoneNumbers(repos, agents);
    const flows = new FlowLibrary(repos);
    // `local` always; network providers join when their key is set (each with a `sessionProbe`).
    const aiProviders = networkProviders(settings);
    const providers = new ProviderRouter([
      { name: 'local', probe: async () => { if (!(await checkLocalSpeech()).tts.available) throw new Error('local speech synthesis unavailable'); } },
      // Failover watches stalls itself (`stallMs`), so its sessions have no reply timeout of their own.
      ...Object.entries(aiProviders).map(([name, config], i) => {
        const create = () => createAiSession(config, { replyTimeoutMs: 0 });
        return { name, create, probe: sessionProbe(create), priority: i + 1 };
      }),
    ], {
      metrics: new ProviderMetrics(metrics.registry), probeIntervalMs: settings.SWITCHBOARD_PROVIDER_PROBE_INTERVAL_MS,
      onHealthChange: (change) => publishProviderEvent('provider.health_changed', { ...change, instanceId }),
      onBreakerChange: (change) => publishProviderEvent('provider.breaker_changed', { ...change, instanceId }),
    });
    // Provider health is instance-wide; each tenant's console listens on its own channel, so every tenant gets it.
    const providerTenants = new TenantFanout({ tenantIds: async () => (await repos.tenants.all()).map((t) => t.id) });
    const publishProviderEvent = (type: ProviderEventType, data: Record<string, unknown>) => {
      void providerTenants.each((tenantId) => bus.publish({ id: randomUUID(), type, tenantId, at: new Date().toISOString(), data }))
        .then((sent) => { for (let i = 0; i < sent.length; i++) metrics.busEvents.inc({ type }); })
        .catch((err: unknown) => log.warn({ err, type }, 'provider event not published'));
    };
    providers.startProbes();
    const storedRouting = (row: { policy: string; providers: ProviderRoutingBody['providers']; updatedAt: Date; updatedBy: string } | null) =>
      row ? { policy: row.policy as ProviderRoutingBody['policy'], providers: row.providers, updatedAt: row.updatedAt, updatedBy: row.updatedBy } : null;
    const providerRouting = new TenantRouting({
      configured: () => providers.providers,
      load: async (tenantId) => storedRouting(await repos.providerRouting.get(tenantId)),
      save: async (tenantId, routing, by) => { await repos.providerRouting.put(tenantId, routing, by); },
      remove: (tenantId, flowId) => (flowId ? repos.providerRouting.deleteForFlow(tenantId, flowId) : repos.providerRouting.delete(tenantId)),
      flow: async (tenantId, ref) => { const row = await repos.flows.byRef(tenantId, ref); return row ? { id: row.id, key: row.key } : null; },
      loadForFlow: async (tenantId, flowId) => storedRouting(await repos.providerRouting.getForFlow(tenantId, flowId)),
      saveForFlow: async (tenantId, flowId, routing, by) => { await repos.providerRouting.putForFlow(tenantId, flowId, routing, by); },
      scenario: async (tenantId) => {
        const name = await flags.scenario(tenantId);
        return name ? SCENARIOS_BY_NAME.get(name)?.providers ?? null : null;
      },
    });
    closers.unshift(async () => providers.stop());
    // `flow` numbers run their published flow on the local pipeline; `ai` numbers a network provider (when one is set).
    // Said once at start: without Debian's speech packages calls still run, on DTMF and text.
    void checkLocalSpeech().then((speech) => {
      for (const [engine, state] of Object.entries(speech)) {
        if (!state.available) log.warn({ engine, reason: state.reason }, 'local speech engine unavailable; flow calls fall back to DTMF and text');
      }
    });
    // Flow `llm` steps, on calls and in the web chat, ask this model; none on embedded defaults (they apologize and go on).
    const flowModel = flowLanguageModel(settings);
    registerAiAgents(agents, {
      synthesizer, loadFlow: (tenantId, ref) => flows.published(tenantId, ref), webhookSecret: await repos.secrets.getOrCreate('webhook-signing'), llm: flowModel,
      providers: aiProviders,
      // `flow`: the flow the call names (its number's or its metadata's), whose own routing wins over the tenant's.
      failover: async (tenantId, { flow, ...choice }: { prefer?: string; allow: string[]; flow?: string | null }) => {
        if (!(await flags.isEnabled(tenantId, 'provider-failover'))) return null;
        const routing = await providerRouting.forCall(tenantId, flow);
        return providers.session({ stallMs: 1500, policy: toRouterPolicy(routing.policy), routes: routing.providers, ...choice });
      },
      features: flags,
      // A widget call continues its contact's chat: context (prior-conversation.ts), the same flow resumed (continuity.ts).
      priorConversation: (spec) => priorConversation(repos, spec),
      continuation: (spec) => chatContinuation(repos, spec),
    });

    const seeded = await seedDemoTenant(repos, { adminEmail: settings.SWITCHBOARD_ADMIN_EMAIL, adminPassword: settings.SWITCHBOARD_ADMIN_PASSWORD, log, print: options.print });
    if (settings.SWITCHBOARD_SCENARIO && seeded.tenant.scenario !== settings.SWITCHBOARD_SCENARIO) {
      await flags.setScenario(seeded.tenant.id, settings.SWITCHBOARD_SCENARIO, 'environment:SWITCHBOARD_SCENARIO');
    }
    await seedDemoTelephony(repos, carrierAccounts, seeded.tenant.id, log);
    await seedExampleFlows(repos, seeded.tenant.id, log);
    const widget = {
      keys: new WidgetKeys(repos),
      conversations: new Conversations(repos, bus, signer, { loadFlow: (tenantId, ref) => flows.published(tenantId, ref), webhookSecret: await repos.secrets.getOrCreate('webhook-signing'), llm: flowModel }),
      demoKey: settings.SWITCHBOARD_ENV === 'development' ? await seedDemoWidget(repos, seeded.tenant.id, new URL(url).origin, log) : null,
    };

    let closed = false;
    return {
      settings, instanceId, publicUrl: url, log, metrics, database, repos, bus, state, signer, accounts, flags, sessions, providers,
      calls, carrierClients, carrierAccounts, numbers, agents, recordings, flows, providerRouting, widget, telnyxGate, startedAt: Date.now(), extraReadyChecks,
      async close() {
        if (closed) return;
        closed = true;
        for (const close of closers) await close().catch((err: unknown) => log.warn({ err }, 'error while closing'));
      },
    };
  } catch (err) {
    for (const close of closers) await close().catch(() => {});
    throw err;
  }
}

/**
 * The network AI providers whose keys are set, in priority order (OpenAI Realtime, Gemini Live, cascade). Each
 * (provider, credential) is its own entry, so its own health and breaker: `openai`, `openai:key2`, ...
 */
function networkProviders(settings: Settings): Record<string, AiProviderConfig> {
  const out: Record<string, AiProviderConfig> = {};
  const openai = (key: string): AiProviderConfig => ({
    kind: 'openai', key, url: settings.OPENAI_REALTIME_URL, model: settings.OPENAI_REALTIME_MODEL, maxSessionMs: settings.OPENAI_REALTIME_MAX_SESSION_MS,
  });
  const gemini = (key: string): AiProviderConfig => ({
    kind: 'gemini', key, ...(settings.GEMINI_LIVE_URL ? { url: settings.GEMINI_LIVE_URL } : {}), ...(settings.GEMINI_LIVE_MODEL ? { model: settings.GEMINI_LIVE_MODEL } : {}),
  });
  if (settings.OPENAI_API_KEY) out['openai'] = openai(settings.OPENAI_API_KEY);
  if (settings.OPENAI_API_KEY_2) out['openai:key2'] = openai(settings.OPENAI_API_KEY_2);
  if (settings.GEMINI_API_KEY) out['gemini'] = gemini(settings.GEMINI_API_KEY);
  if (settings.GEMINI_API_KEY_2) out['gemini:key2'] = gemini(settings.GEMINI_API_KEY_2);
  if (settings.DEEPGRAM_API_KEY) {
    out['cascade'] = {
      kind: 'cascade', url: settings.OPENAI_BASE_URL, ...(settings.OPENAI_API_KEY ? { key: settings.OPENAI_API_KEY } : {}),
      ...(settings.OPENAI_CHAT_MODEL ? { model: settings.OPENAI_CHAT_MODEL } : {}), deepgram: { key: settings.DEEPGRAM_API_KEY },
    };
  }
  return out;
}

/** The chat model for flow `llm` steps: set by OPENAI_CHAT_MODEL (a local server needs no key) or OPENAI_API_KEY. */
function flowLanguageModel(settings: Settings): OpenAiCompatibleChat | null {
  if (!settings.OPENAI_CHAT_MODEL && !settings.OPENAI_API_KEY) return null;
  return new OpenAiCompatibleChat({
    baseUrl: settings.OPENAI_BASE_URL, model: settings.OPENAI_CHAT_MODEL ?? 'gpt-4o-mini', ...(settings.OPENAI_API_KEY ? { apiKey: settings.OPENAI_API_KEY } : {}),
  });
}
