// Prometheus metrics (prom-client): one registry per process, the counters each process keeps, and collectors read at
// scrape time.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * This process's registry. Counters and histograms here are per process (Prometheus sums them across
 * instances); gauges registered through `addScrapeCollector` read shared state (the ledgers in PostgreSQL,
 * the queues in Redis) when scraped, so every process reports the same value for them.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'followup_' });

export const httpRequests = new Counter({
  name: 'followup_http_requests_total',
  help: 'HTTP requests answered by this API process, by route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

export const httpDuration = new Histogram({
  name: 'followup_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const notificationsPlanned = new Counter({
  name: 'followup_notifications_planned_total',
  help: 'Notification ledger rows planned by this process, by kind',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});

export const notificationsSent = new Counter({
  name: 'followup_notifications_sent_total',
  help: 'Notification ledger rows this worker process recorded as sent, by kind',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});

export const notificationsFailed = new Counter({
  name: 'followup_notifications_failed_total',
  help: 'Emails the SMTP server refused in this worker process (for now or for good), by kind',
  labelNames: ['kind', 'permanent'] as const,
  registers: [metricsRegistry],
});

export const webhookDeliveries = new Counter({
  name: 'followup_webhook_attempts_total',
  help: 'Webhook delivery attempts made by this worker process, by outcome (delivered, retry, failed)',
  labelNames: ['outcome', 'format'] as const,
  registers: [metricsRegistry],
});

export const webhookDuration = new Histogram({
  name: 'followup_webhook_attempt_duration_seconds',
  help: 'Time from sending a webhook to its answer (or giving up)',
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

export const webhookEndpointsDisabledTotal = new Counter({
  name: 'followup_webhook_endpoints_disabled_total',
  help: 'Webhook endpoints this worker process disabled after failing for WEBHOOK_DISABLE_AFTER',
  registers: [metricsRegistry],
});

export const evidenceScans = new Counter({
  name: 'followup_evidence_scans_total',
  help: 'Evidence file scans in this worker process, by result: clean, infected, unscanned (given up, or no scanner), error (the scanner failed; tried again)',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

export const reconcilerRepairs = new Counter({
  name: 'followup_reconciler_repairs_total',
  help: 'What the reconciler repaired in this worker process: expired leases, late work sent by catch-up, webhook jobs re-added',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});

export const loginFailures = new Counter({
  name: 'followup_login_failures_total',
  help: 'Sign-in attempts refused for a wrong email or password in this API process',
  registers: [metricsRegistry],
});

export const loginLimited = new Counter({
  name: 'followup_login_limited_total',
  help: 'Sign-in attempts refused by the login limit (429) in this API process',
  registers: [metricsRegistry],
});

/**
 * A gauge whose value is read when scraped (`collect` sets it); errors leave it unset for that scrape rather than
 * failing /metrics.
 */
export function scrapeGauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  collect: (gauge: Gauge<L>) => Promise<void>,
): Gauge<L> {
  const existing = metricsRegistry.getSingleMetric(name) as Gauge<L> | undefined;
  if (existing) metricsRegistry.removeSingleMetric(name);
  return new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      try {
        await collect(this);
      } catch {
        // A scrape must answer even with the database or Redis away; the value is absent this time.
      }
    },
  });
}

/** The exposition text and its content type. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}

/** True when `authorization` carries the token (or no token is configured). Constant-time for equal lengths. */
export function metricsAuthorised(authorization: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const expected = `Bearer ${token}`;
  if (!authorization || authorization.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ authorization.charCodeAt(i);
  return diff === 0;
}
