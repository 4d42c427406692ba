// The gauges both processes expose, read from shared state when scraped: the ledgers (PostgreSQL), the queues (Redis),
// and this process's database pool.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CLOCK, type Clock } from '#application';
import { scrapeGauge } from '#observability';
import { Storage } from '#persistence';
import { QueueName } from './queues.js';
import { QUEUES, type QueueMap } from './scheduler.service.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children'] as const;

/**
 * Registers the scrape-time gauges. The ledger and queue figures are the same whichever process is
 * scraped (shared state: alert on one instance's value, or on `max`, never on a sum); the pool figures
 * are this process's own.
 */
@Injectable()
export class OperationalMetrics implements OnModuleInit {
  constructor(
    private readonly storage: Storage,
    @Inject(QUEUES) private readonly queues: QueueMap,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    scrapeGauge(
      'followup_notification_ledger_rows',
      'Notification ledger rows by status and kind (shared: read from PostgreSQL)',
      ['status', 'kind'],
      async (g) => {
        const figures = await this.storage.pool.ledgerFigures.figures(this.clock.now());
        for (const row of figures.byStatusAndKind) g.set({ status: row.status, kind: row.kind }, row.rows);
      },
    );
    scrapeGauge(
      'followup_notifications_due_unsent_oldest_seconds',
      'Age of the oldest notification that is due and not yet sent (shared)',
      [],
      async (g) => {
        g.set((await this.storage.pool.ledgerFigures.figures(this.clock.now())).oldestDueSeconds);
      },
    );
    scrapeGauge(
      'followup_webhook_deliveries',
      'Webhook delivery ledger rows by status (shared)',
      ['status'],
      async (g) => {
        const figures = await this.storage.pool.webhooks.ledgerFigures(this.clock.now());
        for (const [status, rows] of Object.entries(figures.byStatus)) g.set({ status }, rows);
      },
    );
    scrapeGauge(
      'followup_webhook_due_unsent_oldest_seconds',
      'Age of the oldest webhook delivery that is due and not yet sent (shared)',
      [],
      async (g) => {
        g.set((await this.storage.pool.webhooks.ledgerFigures(this.clock.now())).oldestDueSeconds);
      },
    );
    scrapeGauge(
      'followup_webhook_endpoints_disabled',
      'Webhook subscriptions disabled after failing (shared)',
      [],
      async (g) => {
        g.set((await this.storage.pool.webhooks.ledgerFigures(this.clock.now())).disabledEndpoints);
      },
    );
    scrapeGauge(
      'followup_queue_jobs',
      'BullMQ jobs per queue and state (shared: read from Redis)',
      ['queue', 'state'],
      async (g) => {
        for (const name of Object.values(QueueName)) {
          const counts = await this.queues[name].getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) g.set({ queue: name, state }, counts[state] ?? 0);
        }
      },
    );
    scrapeGauge(
      'followup_db_pool_connections',
      "This process's PostgreSQL pool: connections in use, idle, and callers waiting",
      ['state'],
      async (g) => {
        const stats = this.storage.poolStats();
        g.set({ state: 'in_use' }, stats.total - stats.idle);
        g.set({ state: 'idle' }, stats.idle);
        g.set({ state: 'waiting' }, stats.waiting);
      },
    );
  }
}
