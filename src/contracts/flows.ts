import { z } from 'zod';
import { idSchema, isoDate } from './common.js';

/**
 * Flows: scripted conversations (say, ask, branch, tool, transfer, end, llm) as validated JSON. The engine that
 * runs them is `src/ai/flows`; checks beyond this schema (targets exist, prompts per language…) are in
 * `src/ai/flows/validate.ts`.
 */

/** Step ids, slot, intent and tool names: lower-case identifiers, so templates can say `{{order_number}}`. */
export const flowName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a lower-case name: letters, digits, _ (e.g. ask_day)');
/** A flow's key, unique in the tenant, e.g. "appointment-booking"; phone numbers name flows by it. */
export const flowKey = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a key: lower-case letters, digits and - (e.g. order-status)');
export const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag such as en-US');

/** Text per language; may use `{{slot}}` or `{{slot.field}}` placeholders. */
export const localizedText = z.record(languageTag, z.string().min(1).max(4000))
  .describe('Text per language (BCP 47 tag → text); {{slot}} placeholders are filled in.');
export type LocalizedText = z.infer<typeof localizedText>;

const description = z.string().max(500).optional();

export const slotSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('number'), description, min: z.number().optional(), max: z.number().optional() }).strict(),
  z.object({
    type: z.literal('digits'), description,
    length: z.int().min(1).max(32).optional().describe('Exact number of digits'),
    minLength: z.int().min(1).max(32).optional(),
    maxLength: z.int().min(1).max(32).optional(),
  }).strict(),
  z.object({ type: z.literal('yes_no'), description }).strict(),
  z.object({ type: z.literal('date'), description }).strict().describe('A day, as YYYY-MM-DD in the flow\'s time zone'),
  z.object({ type: z.literal('time'), description }).strict().describe('A clock time, as HH:MM'),
  z.object({ type: z.literal('datetime'), description }).strict().describe('A day and a time, as ISO 8601 with the zone\'s offset'),
  z.object({ type: z.literal('text'), description, maxLength: z.int().min(1).max(4000).default(500) }).strict(),
  z.object({ type: z.literal('json'), description }).strict().describe('Filled by a tool result, never by the caller'),
]);
export type FlowSlot = z.infer<typeof slotSchema>;
export type SlotType = FlowSlot['type'];
export const SLOT_TYPES = ['number', 'digits', 'yes_no', 'date', 'time', 'datetime', 'text', 'json'] as const satisfies readonly SlotType[];

export const intentSchema = z.object({
  description,
  phrases: z.record(languageTag, z.array(z.string().min(1).max(200)).min(1).max(100))
    .describe('Example phrases per language; short ones a speech grammar can hold ("book an appointment").'),
  keywords: z.record(languageTag, z.array(z.string().min(1).max(60)).max(50)).optional()
    .describe('Single words or short terms that alone signal the intent ("refund").'),
}).strict();
export type FlowIntent = z.infer<typeof intentSchema>;

const scalar = z.union([z.string().max(500), z.number(), z.boolean()]);
export type FlowScalar = z.infer<typeof scalar>;

/** All given parts must hold. A `cases` list of a branch is tried in order; the first that holds wins. */
export const conditionSchema = z.object({
  intent: z.union([flowName, z.array(flowName).min(1)]).optional().describe('The last matched intent is this (or one of these)'),
  slot: flowName.optional(),
  filled: z.boolean().optional().describe('The slot has (true) or has not (false) a value'),
  equals: scalar.optional(),
  in: z.array(scalar).min(1).max(50).optional(),
  gt: z.number().optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
}).strict()
  .refine((c) => c.intent !== undefined || c.slot !== undefined, 'a condition names an intent or a slot')
  .refine((c) => c.slot !== undefined || [c.filled, c.equals, c.in, c.gt, c.gte, c.lt, c.lte].every((v) => v === undefined),
    'slot comparisons need a slot');
export type FlowCondition = z.infer<typeof conditionSchema>;

/** An HTTP webhook tool (the `lookup` tool): the platform POSTs (or GETs) the arguments, signed, and waits `timeoutMs`. */
export const webhookToolSchema = z.object({
  description: z.string().min(1).max(1000),
  url: z.url({ protocol: /^https?$/ }),
  method: z.enum(['GET', 'POST']).default('POST'),
  parameters: z.record(z.string(), z.unknown()).refine((s) => s['type'] === 'object', 'a JSON schema of type object')
    .default({ type: 'object', properties: {} }).describe('JSON Schema (type object) of the arguments'),
  timeoutMs: z.int().min(100).max(30_000).default(5000),
}).strict();
export type WebhookToolSpec = z.infer<typeof webhookToolSchema>;

const next = flowName.describe('The id of the step that follows');
const clear = z.array(flowName).max(20).optional().describe('Slots emptied when the step starts (to ask again)');

export const sayStepSchema = z.object({
  type: z.literal('say'), text: localizedText,
  interruptible: z.boolean().default(true).describe('false: the caller cannot barge in (greetings, disclosures)'),
  clear,
  next,
}).strict();

export const askStepSchema = z.object({
  type: z.literal('ask'), prompt: localizedText,
  intents: z.array(flowName).max(50).optional().describe('Intents the answer may match (the flow\'s `intents`)'),
  slot: flowName.optional().describe('The slot the answer fills; an ask whose slot is already filled is skipped'),
  capture: z.array(flowName).max(20).optional().describe('Other slots filled when the answer happens to carry them'),
  reprompts: z.array(localizedText).max(5).optional().describe('Said on attempt 2, 3, …; the last repeats'),
  noInput: localizedText.optional().describe('Said when the caller said nothing'),
  maxAttempts: z.int().min(1).max(10).default(3),
  timeoutMs: z.int().min(1000).max(60_000).optional().describe('Silence before a no-input (default: the flow\'s)'),
  interruptible: z.boolean().default(true),
  clear,
  next,
  onNoMatch: flowName.describe('Where to go once the attempts are used up'),
}).strict();

export const branchStepSchema = z.object({
  type: z.literal('branch'),
  cases: z.array(z.object({ when: conditionSchema, next }).strict()).min(1).max(50),
  else: flowName,
}).strict();

export const toolStepSchema = z.object({
  type: z.literal('tool'),
  tool: flowName.describe('A built-in tool or one of the flow\'s `tools`'),
  arguments: z.record(z.string().max(64), scalar).default({}).describe('Values; strings may be "{{slot}}" templates'),
  result: flowName.optional().describe('The slot that receives the result'),
  say: localizedText.optional().describe('Said while the tool runs ("one moment")'),
  next,
  onError: flowName.optional().describe('Where to go when the tool fails (default: next)'),
}).strict();

export const transferStepSchema = z.object({
  type: z.literal('transfer'),
  to: z.string().regex(/^(\+[1-9][0-9]{6,14}|sips?:.+|queue:[a-z0-9_-]{1,64})$/, 'E.164, a SIP URI or queue:<name>'),
  say: localizedText.optional().describe('Said to the caller before the transfer'),
  summary: localizedText.optional().describe('Spoken to (and shown to) whoever takes the call'),
}).strict();

export const endStepSchema = z.object({
  type: z.literal('end'),
  text: localizedText.optional().describe('The goodbye'),
  reason: z.string().max(64).optional(),
}).strict();

export const llmStepSchema = z.object({
  type: z.literal('llm'),
  instructions: localizedText.describe('What the language model should do in this part of the call'),
  intents: z.array(flowName).max(50).optional().describe('Intents to recognise in caller turns (for `until`)'),
  capture: z.array(flowName).max(20).optional().describe('Slots to fill from caller turns'),
  tools: z.array(flowName).max(20).optional().describe('Tools the model may call'),
  until: conditionSchema.optional().describe('Go to `next` as soon as this holds after a caller turn'),
  maxTurns: z.int().min(1).max(50).default(5).describe('Go to `next` after this many caller turns'),
  clear,
  next,
}).strict();

export const stepSchema = z.discriminatedUnion('type', [
  sayStepSchema, askStepSchema, branchStepSchema, toolStepSchema, transferStepSchema, endStepSchema, llmStepSchema,
]);
export type FlowStep = z.infer<typeof stepSchema>;
export type FlowStepType = FlowStep['type'];
export type FlowStepOf<T extends FlowStepType> = Extract<FlowStep, { type: T }>;

export const flowSettingsSchema = z.object({
  intentThreshold: z.number().min(0).max(1).default(0.6).describe('Lowest match score that counts as an intent'),
  minConfidence: z.number().min(0).max(1).default(0.2).describe('Recognitions below this confidence count as no match'),
  noInputTimeoutMs: z.int().min(1000).max(60_000).default(8000),
}).strict();

/** The platform's own words in a flow, per language (src/ai/flows/phrases.ts has the built-in ones). */
export const flowPhrasesSchema = z.object({
  resumed: localizedText.optional().describe('Said first when a call picks up the chat at its step (built in: "Picking up from our chat.")'),
  noModel: localizedText.optional().describe('An llm step\'s answer when no language model is configured'),
  modelFailed: localizedText.optional().describe('An llm step\'s answer when the model fails or says nothing'),
}).strict();
export type FlowPhraseKey = keyof z.infer<typeof flowPhrasesSchema>;

export const flowDefinitionSchema = z.object({
  id: flowKey,
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  languages: z.array(languageTag).min(1).max(20).describe('The first is the default'),
  timeZone: z.string().min(1).max(64).default('UTC').describe('IANA zone that dates and times are resolved in'),
  instructions: localizedText.optional().describe('Persona and context for llm steps'),
  start: flowName,
  slots: z.record(flowName, slotSchema).default({}),
  intents: z.record(flowName, intentSchema).default({}),
  tools: z.record(flowName, webhookToolSchema).default({}),
  steps: z.record(flowName, stepSchema).refine((s) => Object.keys(s).length > 0, 'a flow has at least one step')
    .refine((s) => Object.keys(s).length <= 200, 'at most 200 steps'),
  settings: flowSettingsSchema.default({ intentThreshold: 0.6, minConfidence: 0.2, noInputTimeoutMs: 8000 }),
  phrases: flowPhrasesSchema.optional()
    .describe('The platform\'s own words in this flow, per language; otherwise built-in ones (en, es, fr, de, pt, it; else English)'),
}).strict().meta({ id: 'FlowDefinition' });
/** A parsed flow (defaults applied). */
export type FlowDefinition = z.output<typeof flowDefinitionSchema>;
/** A flow as written (defaults optional). */
export type FlowDefinitionInput = z.input<typeof flowDefinitionSchema>;

// ---------------------------------------------------------------------------------------------------------------
// API shapes

export const flowIssueSchema = z.object({
  path: z.string().describe('JSON path into the definition, e.g. $.steps.confirm.next'),
  code: z.string().describe('Stable code, e.g. unknown_step, missing_language, unreachable_step'),
  message: z.string(),
}).meta({ id: 'FlowIssue' });
export type FlowIssue = z.infer<typeof flowIssueSchema>;

export const flowValidationSchema = z.object({
  valid: z.boolean().describe('No errors (warnings allowed)'),
  errors: z.array(flowIssueSchema),
  warnings: z.array(flowIssueSchema),
}).meta({ id: 'FlowValidation' });
export type FlowValidation = z.infer<typeof flowValidationSchema>;

export const flowVersionStatusSchema = z.enum(['draft', 'published']);

export const flowVersionSummarySchema = z.object({
  id: idSchema,
  flowId: idSchema,
  version: z.int().min(1),
  status: flowVersionStatusSchema,
  live: z.boolean().describe('This is the version that answers calls'),
  createdBy: z.string(),
  createdAt: isoDate,
  publishedAt: isoDate.nullable(),
}).meta({ id: 'FlowVersionSummary' });

export const flowVersionSchema = flowVersionSummarySchema.extend({
  definition: flowDefinitionSchema,
  validation: flowValidationSchema,
}).meta({ id: 'FlowVersion' });
export type FlowVersion = z.infer<typeof flowVersionSchema>;

export const flowSchema = z.object({
  id: idSchema,
  key: flowKey,
  name: z.string(),
  latestVersion: z.int().min(1),
  publishedVersion: z.int().min(1).nullable(),
  createdBy: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
}).meta({ id: 'Flow' });
export type Flow = z.infer<typeof flowSchema>;

export const flowDetailSchema = flowSchema.extend({
  latest: flowVersionSchema,
  published: flowVersionSchema.nullable(),
}).meta({ id: 'FlowDetail' });
export type FlowDetail = z.infer<typeof flowDetailSchema>;

/** The definition is checked by the server (schema, then the flow checks) so errors come back with JSON paths. */
const definitionBody = z.record(z.string(), z.unknown()).describe('A flow definition (see FlowDefinition)');

export const createFlowRequest = z.object({
  definition: definitionBody,
  publish: z.boolean().default(false).describe('Publish version 1 at once (it must have no errors)'),
}).strict().meta({ id: 'CreateFlowRequest' });

export const createFlowVersionRequest = z.object({ definition: definitionBody }).strict().meta({ id: 'CreateFlowVersionRequest' });
export const validateFlowRequest = z.object({ definition: z.unknown() }).strict().meta({ id: 'ValidateFlowRequest' });

/** A flow by id or by key. */
export const flowParams = z.object({ flow: z.union([idSchema, flowKey]).describe('The flow\'s id or key') });
export const flowVersionParams = flowParams.extend({ version: z.coerce.number().int().min(1) });
