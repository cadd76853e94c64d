import { z } from 'zod';

export const ROLES = ['admin', 'supervisor', 'agent', 'analyst'] as const;
export const roleSchema = z.enum(ROLES).describe('What a user or API key may do.');
export type Role = z.infer<typeof roleSchema>;

export const idSchema = z.uuid();
export const isoDate = z.iso.datetime({ offset: true }).describe('ISO 8601 timestamp');

/** The one shape of every non-2xx answer. */
export const errorSchema = z.object({
  error: z.object({
    code: z.string().describe('Stable machine-readable code, e.g. validation_failed, not_found.'),
    message: z.string().describe('What went wrong, for a person.'),
    details: z.unknown().optional().describe('Field errors or other structured detail.'),
    requestId: z.string(),
  }),
}).meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof errorSchema>;

export const ERROR_CODES = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  500: 'internal_error',
  503: 'unavailable',
} as const;

/** Every list takes the same query: `limit` and an opaque `cursor` from the previous page. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
export type PageQuery = z.infer<typeof pageQuery>;

/** Every list answers the same shape. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
export interface Page<T> { items: T[]; nextCursor: string | null }

export const idParams = z.object({ id: idSchema });
export const emptyObject = z.object({}).strict();
