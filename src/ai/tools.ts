/**
 * Tool definitions (zod) in each provider's format: OpenAI Realtime and chat-completions function tools take
 * JSON Schema; Gemini `functionDeclarations` take its OpenAPI-3.0 subset (`Schema`, upper-case types).
 */
import { z } from 'zod';
import type { ToolDefinition } from './session.js';

export type JsonSchema = Record<string, unknown>;

/** JSON Schema of a tool's arguments (draft 2020-12, `$schema` left out). */
export function toolJsonSchema(tool: ToolDefinition): JsonSchema {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(tool.parameters, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return schema;
}

/** OpenAI Realtime `session.tools` entry. */
export interface RealtimeFunctionTool {
  type: 'function';
  name: string;
  description: string;
  parameters: JsonSchema;
}

export function toRealtimeTools(tools: readonly ToolDefinition[]): RealtimeFunctionTool[] {
  return tools.map((tool) => ({ type: 'function', name: tool.name, description: tool.description, parameters: toolJsonSchema(tool) }));
}

/** Chat-completions `tools` entry (OpenAI, Ollama, vLLM, LM Studio). */
export interface ChatFunctionTool {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchema };
}

export function toChatTools(tools: readonly ToolDefinition[]): ChatFunctionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: toolJsonSchema(tool) },
  }));
}

/** Gemini `Schema` (an OpenAPI 3.0 subset). */
export interface GeminiSchema {
  type?: 'TYPE_UNSPECIFIED' | 'STRING' | 'NUMBER' | 'INTEGER' | 'BOOLEAN' | 'ARRAY' | 'OBJECT' | 'NULL';
  description?: string;
  enum?: string[];
  format?: string;
  nullable?: boolean;
  items?: GeminiSchema;
  properties?: Record<string, GeminiSchema>;
  required?: string[];
  anyOf?: GeminiSchema[];
  minimum?: number;
  maximum?: number;
  minItems?: string;
  maxItems?: string;
  minLength?: string;
  maxLength?: string;
  pattern?: string;
}

export interface GeminiFunctionDeclaration {
  name: string;
  description: string;
  parameters: GeminiSchema;
}

export function toGeminiFunctionDeclarations(tools: readonly ToolDefinition[]): GeminiFunctionDeclaration[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    parameters: toGeminiSchema(z.toJSONSchema(tool.parameters, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as JsonSchema),
  }));
}

const GEMINI_TYPES: Record<string, GeminiSchema['type']> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  array: 'ARRAY',
  object: 'OBJECT',
  null: 'NULL',
};

/** OpenAPI 3.0 schema (as zod writes it) → Gemini `Schema`: upper-case types, integer bounds as strings, no extras. */
export function toGeminiSchema(schema: JsonSchema): GeminiSchema {
  const out: GeminiSchema = {};
  const type = schema.type;
  if (typeof type === 'string' && GEMINI_TYPES[type]) out.type = GEMINI_TYPES[type];
  if (typeof schema.description === 'string') out.description = schema.description;
  if (Array.isArray(schema.enum)) {
    out.enum = schema.enum.map(String);
    out.type ??= 'STRING';
  }
  if (typeof schema.format === 'string') out.format = schema.format;
  if (schema.nullable === true) out.nullable = true;
  if (typeof schema.pattern === 'string') out.pattern = schema.pattern;
  // Gemini rejects JavaScript's safe-integer bounds zod adds to every int; keep only real ones.
  if (typeof schema.minimum === 'number' && Math.abs(schema.minimum) < 2 ** 52) out.minimum = schema.minimum;
  if (typeof schema.maximum === 'number' && Math.abs(schema.maximum) < 2 ** 52) out.maximum = schema.maximum;
  for (const key of ['minItems', 'maxItems', 'minLength', 'maxLength'] as const) {
    if (typeof schema[key] === 'number') out[key] = String(schema[key]);
  }
  if (schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)) out.items = toGeminiSchema(schema.items as JsonSchema);
  if (schema.properties && typeof schema.properties === 'object') {
    out.properties = {};
    for (const [name, value] of Object.entries(schema.properties as Record<string, JsonSchema>)) out.properties[name] = toGeminiSchema(value);
  }
  if (Array.isArray(schema.required) && schema.required.length > 0) out.required = schema.required.map(String);
  if (Array.isArray(schema.anyOf)) out.anyOf = (schema.anyOf as JsonSchema[]).map(toGeminiSchema);
  return out;
}

/**
 * Parses a provider's tool arguments (a JSON string from OpenAI, an object from Gemini) into an object.
 * Returns undefined when they are not a JSON object.
 */
export function parseToolArguments(raw: unknown): Record<string, unknown> | undefined {
  let value = raw;
  if (typeof raw === 'string') {
    if (raw.trim() === '') return {};
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  if (value === undefined || value === null) return {};
  return typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A tool result as the string providers want in a function output. */
export function toolResultText(result: unknown): string {
  return typeof result === 'string' ? result : JSON.stringify(result ?? null);
}
