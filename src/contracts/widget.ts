import { z } from 'zod';
import { idSchema, isoDate } from './common.js';

/** An origin as browsers send it: scheme://host[:port], no path. */
const originSchema = z.string().max(256).regex(/^https?:\/\/[^/\s]+$/, 'an origin like https://shop.example.com (no path)');

export const createWidgetKeyRequest = z.object({
  name: z.string().min(1).max(128),
  allowedOrigins: z.array(originSchema).min(1).max(20).describe('Pages on these origins may use the key'),
  flow: z.string().min(1).max(128).describe('Flow (key or id) that answers chats and calls from the widget'),
}).strict().meta({ id: 'CreateWidgetKeyRequest' });
export type CreateWidgetKeyRequest = z.infer<typeof createWidgetKeyRequest>;

export const widgetKeySchema = z.object({
  id: idSchema,
  name: z.string(),
  key: z.string().describe('Public key for the embed tag (`data-key`); it only opens the widget endpoints'),
  allowedOrigins: z.array(z.string()),
  flow: z.string(),
  createdAt: isoDate,
  revokedAt: isoDate.nullable(),
}).meta({ id: 'WidgetKey' });
export type WidgetKey = z.infer<typeof widgetKeySchema>;

export const messageAuthorSchema = z.enum(['visitor', 'agent', 'system']);

export const conversationMessageSchema = z.object({
  seq: z.number().int().describe('Order within the tenant; the resume cursor'),
  id: idSchema,
  clientId: z.string().nullable(),
  author: messageAuthorSchema,
  text: z.string(),
  channel: z.string(),
  at: isoDate,
}).meta({ id: 'ConversationMessage' });
export type ConversationMessage = z.infer<typeof conversationMessageSchema>;

export const timelineEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), at: isoDate, message: conversationMessageSchema }),
  z.object({ kind: z.literal('call'), at: isoDate, call: z.object({
    id: idSchema, state: z.string(), startedAt: isoDate, endedAt: isoDate.nullable(),
    transcript: z.array(z.object({ speaker: z.string(), text: z.string(), startMs: z.number().int(), endMs: z.number().int() }))
      .describe('The call\'s final transcript turns, in order (ms from the start of its media)'),
  }) }),
]).meta({ id: 'TimelineEntry' });

export const contactTimelineSchema = z.object({
  contactId: idSchema,
  createdAt: isoDate,
  entries: z.array(timelineEntrySchema),
}).meta({ id: 'ContactTimeline' });
export type ContactTimeline = z.infer<typeof contactTimelineSchema>;

export const startWidgetCallRequest = z.object({
  key: z.string().min(4).max(128),
  contact: z.string().min(1).max(2048).describe('The signed contact token the widget socket gave the page'),
}).strict().meta({ id: 'StartWidgetCallRequest' });

/** Query of the widget socket: the key, and the signed contact token the page kept (absent on a first visit). */
export const widgetSocketQuery = z.object({
  key: z.string().min(4).max(128),
  contact: z.string().min(1).max(2048).optional(),
  after: z.coerce.number().int().min(0).optional().describe('Last message seq the page has; older ones are not resent'),
});

export const widgetClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), clientId: z.string().min(1).max(64).regex(/^[\w-]+$/), text: z.string().trim().min(1).max(2000) }),
  z.object({ type: z.literal('ping') }),
]);
export type WidgetClientMessage = z.infer<typeof widgetClientMessage>;

export type WidgetServerMessage =
  | { type: 'ready'; contactId: string; contactToken: string; voice: boolean }
  | { type: 'message'; message: ConversationMessage }
  | { type: 'ack'; clientId: string; seq: number }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string };
