import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Caller } from '../accounts/service.js';
import type { AccountService } from '../accounts/service.js';
import { errorSchema } from '../contracts/common.js';
import type { Operation } from '../contracts/operations.js';
import { accessGuard } from './auth.js';

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;
type SuccessBody<O extends Operation> = { [K in keyof O['responses']]: z.input<O['responses'][K]> }[keyof O['responses']];

export interface HandlerContext<O extends Operation> {
  params: Infer<O['params']>;
  query: Infer<O['query']>;
  body: Infer<O['body']>;
  /** The caller; non-null on every operation that is not public. */
  caller: O['access'] extends 'public' ? Caller | null : Caller;
  request: FastifyRequest;
  reply: FastifyReply;
}

const ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 429, 500] as const;

/** OpenAPI paths use {id}; Fastify uses :id. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

/**
 * Registers one operation from the contracts: its schemas validate the request and serialize the answer, its
 * access list guards it. The handler returns the body; the status is the operation's first success status
 * unless the handler sets another.
 */
export function route<O extends Operation>(app: FastifyInstance, accounts: AccountService, operation: O,
  handler: (ctx: HandlerContext<O>) => Promise<SuccessBody<O>> | SuccessBody<O>,
  options: { rateLimit?: { max: number; timeWindow: number } } = {}): void {
  const successStatus = Number(Object.keys(operation.responses)[0]);
  const response: Record<number, z.ZodType> = { ...operation.responses };
  for (const status of ERROR_STATUSES) response[status] ??= errorSchema;
  app.withTypeProvider<ZodTypeProvider>().route({
    method: operation.method,
    url: operation.path,
    schema: {
      summary: operation.summary,
      tags: [operation.tag],
      ...(operation.params ? { params: operation.params } : {}),
      ...(operation.query ? { querystring: operation.query } : {}),
      ...(operation.body ? { body: operation.body } : {}),
      response,
      ...(operation.access === 'public' ? {} : { security: [{ cookie: [] }, { apiKey: [] }] }),
    },
    config: { access: operation.access, ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}) },
    // Fastify hands a missing body to validation as null; optional bodies should see undefined.
    preValidation: async (request) => { if (request.body === null) request.body = undefined; },
    preHandler: accessGuard(accounts, operation.access),
    handler: async (request, reply) => {
      reply.code(successStatus);
      const body = await handler({
        params: request.params, query: request.query, body: request.body, caller: request.caller, request, reply,
      } as HandlerContext<O>);
      return reply.statusCode === 204 ? reply.send() : body;
    },
  });
}
