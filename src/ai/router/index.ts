export { CircuitBreaker, type BreakerOptions, type BreakerSnapshot, type BreakerState } from './breaker.js';
export { FailoverSession, type FailoverOptions, type ProviderCandidate, type ProviderOutcome, type ProviderSwitch, type SwitchReason } from './failover-session.js';
export { percentile, ProbeScheduler, ProviderHealth, type HealthSample, type HealthSnapshot, type HealthStatus, type Probe } from './health.js';
export { ProviderMetrics } from './metrics.js';
export { orderCandidates, RoutingState, type ProviderView, type RoutingPolicy } from './policy.js';
export { ProviderRouter, type ProviderConfig, type ProviderState, type RouterOptions } from './router.js';
export { sessionProbe } from './probes.js';
export { TenantFanout, type TenantFanoutOptions } from './tenant-fanout.js';
