import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics, in one registry that /metrics serves. Counters and histograms live here so
 * any layer (flows, nlp) can record without knowing about HTTP; gauges that read the database (cases by status,
 * outbox backlog) are added by the HTTP server, which owns the database handle. Labels are low-cardinality
 * codes only: never a chat id, a tracking id or any text.
 */
export const metricsRegistry = new Registry();

let processMetrics = false;
/** Process metrics (CPU, memory, event-loop lag): only where /metrics is served, not in every CLI run. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'lapor_' });
}

/** Buckets from 5 ms to 30 s: a keyword-classified message takes milliseconds, one waiting on an LLM seconds. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const messageLatency = new Histogram({
  name: 'lapor_message_duration_seconds',
  help: 'Time from receiving a citizen or admin message to having its replies, by channel',
  labelNames: ['channel'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const llmCalls = new Counter({
  name: 'lapor_llm_calls_total',
  help: 'Classifications asked of the LLM, by outcome (ok, fallback)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const llmFallbacks = new Counter({
  name: 'lapor_llm_fallbacks_total',
  help: 'Classifications the offline classifier answered because the LLM failed, by reason code',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

export const open311Requests = new Counter({
  name: 'lapor_open311_requests_filed_total',
  help: 'Cases filed through the Open311 API',
  registers: [metricsRegistry],
});

/** Seconds since `startedNs` (process.hrtime.bigint()), for the histograms. */
export function secondsSince(startedNs: bigint): number {
  return Number(process.hrtime.bigint() - startedNs) / 1e9;
}
