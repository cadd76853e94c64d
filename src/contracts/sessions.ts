import { z } from 'zod';
import { idSchema, isoDate } from './common.js';

export const CHANNELS = ['phone', 'browser-voice', 'chat'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;
export const sessionStatusSchema = z.enum(['created', 'active', 'ended', 'expired']);

export const audioFormatSchema = z.object({
  encoding: z.enum(['pcm16', 'mulaw', 'none']),
  sampleRate: z.number().int(),
  channels: z.number().int(),
  frameMs: z.number().int(),
}).meta({ id: 'AudioFormat' });
export type AudioFormat = z.infer<typeof audioFormatSchema>;

export const createSessionRequest = z.object({
  channel: channelSchema,
  provider: z.string().min(1).max(64).optional().describe('Preferred AI provider, e.g. local, openai, gemini'),
  flow: z.string().min(1).max(128).optional(),
  persona: z.string().min(1).max(128).optional(),
  instructions: z.string().max(20_000).optional(),
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/).default('en-US'),
  temperature: z.number().min(0).max(2).optional(),
  phoneNumber: z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'must be E.164, e.g. +14155550100').optional(),
  campaign: z.string().min(1).max(128).optional(),
  metadata: z.record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).default({})
    .refine((m) => Object.keys(m).length <= 50, 'at most 50 keys'),
}).strict().meta({ id: 'CreateSessionRequest' });
export type CreateSessionRequest = z.infer<typeof createSessionRequest>;

export const sessionSchema = z.object({
  id: idSchema,
  channel: channelSchema,
  status: sessionStatusSchema,
  provider: z.string().nullable(),
  flow: z.string().nullable(),
  persona: z.string().nullable(),
  instructions: z.string().nullable(),
  language: z.string(),
  temperature: z.number().nullable(),
  phoneNumber: z.string().nullable(),
  campaign: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
  expiresAt: isoDate,
  endedAt: isoDate.nullable(),
  endReason: z.string().nullable(),
}).meta({ id: 'Session' });
export type Session = z.infer<typeof sessionSchema>;

export const createdSessionSchema = sessionSchema.extend({
  socketUrl: z.string().describe('WebSocket URL to join the session'),
  token: z.string().describe('Short-lived signed token for the socket (query parameter `token`)'),
  audioFormat: audioFormatSchema,
}).meta({ id: 'CreatedSession' });

export const sessionsQuery = z.object({
  channel: channelSchema.optional(),
  status: sessionStatusSchema.optional(),
  q: z.string().max(200).optional().describe('Search in phone number, flow, campaign'),
});

export const endSessionRequest = z.object({ reason: z.string().max(200).default('ended-by-api') }).strict();

/** Audio each channel's socket carries. */
export function audioFormatFor(channel: Channel): AudioFormat {
  switch (channel) {
    case 'phone': return { encoding: 'mulaw', sampleRate: 8000, channels: 1, frameMs: 20 };
    case 'browser-voice': return { encoding: 'pcm16', sampleRate: 16000, channels: 1, frameMs: 20 };
    case 'chat': return { encoding: 'none', sampleRate: 0, channels: 0, frameMs: 0 };
  }
}
