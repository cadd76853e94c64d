import type { FastifyInstance } from 'fastify';
import { operations } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { route } from '../route.js';

const iso = (ms: number) => new Date(ms).toISOString();

export async function registerProviderRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { accounts, providers } = platform;

  route(app, accounts, operations.getProvidersHealth, () => ({
    providers: providers.snapshot().map((p) => ({
      ...p,
      lastFailure: p.lastFailure ? { ...p.lastFailure, at: iso(p.lastFailure.at) } : null,
      lastCheckAt: p.lastCheckAt === null ? null : iso(p.lastCheckAt),
      breaker: { ...p.breaker, openedAt: p.breaker.openedAt === undefined ? null : iso(p.breaker.openedAt), lastTransitionAt: iso(p.breaker.lastTransitionAt) },
    })),
  }));

  route(app, accounts, operations.getProvidersHealthHistory, ({ query }) => ({
    samples: providers.history(query.provider).slice(-query.limit).map((s) => ({ ...s, at: iso(s.at) })),
  }));
}
