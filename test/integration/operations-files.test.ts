// The shipped Prometheus rules and Grafana dashboard: they parse, each rule is complete, and they name only metrics the
// processes expose.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { load as loadYaml } from 'js-yaml';
import { metricsRegistry } from '../../libs/observability/src/index.js';

const RULES = 'ops/prometheus/alerts.yml';
const DASHBOARD = 'ops/grafana/followup-dashboard.json';

/**
 * Metrics registered at scrape time (OperationalMetrics) are not in the registry until the app starts; their names are
 * fixed here.
 */
const SCRAPE_GAUGES = [
  'followup_notification_ledger_rows',
  'followup_notifications_due_unsent_oldest_seconds',
  'followup_webhook_deliveries',
  'followup_webhook_due_unsent_oldest_seconds',
  'followup_webhook_endpoints_disabled',
  'followup_queue_jobs',
  'followup_db_pool_connections',
];

async function knownMetrics(): Promise<Set<string>> {
  const names = new Set<string>(SCRAPE_GAUGES);
  for (const metric of await metricsRegistry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
  }
  return names;
}

const metricNamesIn = (expr: string): string[] => [
  ...new Set([...expr.matchAll(/\b(followup_[a-z0-9_]+)/g)].map((m) => m[1])),
];

function hasPromtool(): boolean {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** An alerting rule as Prometheus reads it from ops/: the fields the test below checks (it checks their types too). */
interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: { severity?: string };
  annotations?: { summary?: string };
}

describe('operations files', () => {
  it('the alert rules parse, each has a name, an expression, a severity and a summary, and names only real metrics', async () => {
    const doc = loadYaml(readFileSync(RULES, 'utf8')) as { groups: { name: string; rules: AlertRule[] }[] };
    const rules = doc.groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThanOrEqual(8);
    const known = await knownMetrics();
    for (const rule of rules) {
      expect({
        alert: rule.alert,
        ok:
          typeof rule.alert === 'string' &&
          typeof rule.expr === 'string' &&
          !!rule.labels?.severity &&
          !!rule.annotations?.summary,
      }).toEqual({ alert: rule.alert, ok: true });
      if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smh]$/);
      for (const name of metricNamesIn(rule.expr))
        expect({ alert: rule.alert, name, known: known.has(name) }).toEqual({ alert: rule.alert, name, known: true });
    }
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'RemindersDueUnsent',
        'SmtpFailureRateHigh',
        'QueueHasFailedJobs',
        'WebhookEndpointDisabled',
      ]),
    );
    if (hasPromtool()) execFileSync('promtool', ['check', 'rules', RULES], { stdio: 'pipe' });
  });

  it('the Grafana dashboard is JSON whose panels query only real metrics', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      title: string;
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    expect(dashboard.title).toBe('Follow-up Tracker');
    const known = await knownMetrics();
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
    expect(exprs.length).toBeGreaterThanOrEqual(8);
    for (const { panel, expr } of exprs)
      for (const name of metricNamesIn(expr))
        expect({ panel, name, known: known.has(name) }).toEqual({ panel, name, known: true });
  });
});
