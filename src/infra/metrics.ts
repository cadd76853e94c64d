import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process. One registry per server instance, so tests can run several. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly httpErrors = new Counter({
    name: 'switchboard_http_errors_total',
    help: 'Non-2xx answers by code (validation_failed, not_found, forbidden, …)',
    labelNames: ['code', 'status'] as const,
    registers: [this.registry],
  });
  readonly rejectedInput = new Counter({
    name: 'switchboard_rejected_input_total',
    help: 'Bad input dropped at a boundary (socket messages, webhooks, provider events) by source and reason',
    labelNames: ['source', 'reason'] as const,
    registers: [this.registry],
  });
  readonly busEvents = new Counter({
    name: 'switchboard_bus_events_total',
    help: 'Domain events published on the bus by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'switchboard_' });
  }
}
