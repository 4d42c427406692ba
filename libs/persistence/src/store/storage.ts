// The application's one way to PostgreSQL: repositories bound to one transaction (Storage.transaction) or to the pool
// (Storage.pool).
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager, type EntitySubscriberInterface, type TransactionCommitEvent } from 'typeorm';
import { sequenceAuditEvents, type SequenceReport } from '../audit/audit-chain.js';
import { AuditChainRepository } from '../audit/audit-chain.repository.js';
import { AUDITED, AuditRepository } from '../audit/audit.repository.js';
import { EvidenceFilesRepository } from '../evidence/evidence-files.repository.js';
import { InspectionsRepository } from '../inspections/inspections.repository.js';
import { CalendarCancelQueries } from '../ledger/calendar-cancel.queries.js';
import { DispatchQueries } from '../ledger/dispatch.queries.js';
import { LedgerFiguresQueries } from '../ledger/ledger-figures.queries.js';
import { LedgerRepository } from '../ledger/ledger.repository.js';
import { NotificationListQueries } from '../ledger/notification-list.queries.js';
import { RecipientsRepository } from '../ledger/recipients.repository.js';
import { WeeklySummaryQueries } from '../ledger/weekly-summary.queries.js';
import { AccountLinksRepository } from '../people/account-links.repository.js';
import { ApiTokensRepository } from '../people/api-tokens.repository.js';
import { OrganisationsRepository } from '../people/organisations.repository.js';
import { SingleSignOnRepository } from '../people/single-sign-on.repository.js';
import { TwoFactorRepository } from '../people/two-factor.repository.js';
import { UsersRepository } from '../people/users.repository.js';
import { PoliciesRepository } from '../policies/policies.repository.js';
import { DashboardTalliesRepository } from '../recommendations/dashboard-tallies.repository.js';
import { RecommendationsRepository } from '../recommendations/recommendations.repository.js';
import { CalendarRepository } from '../records/calendar.repository.js';
import { DashboardQueries } from '../records/dashboard.queries.js';
import { OverdueListQueries } from '../records/overdue-list.queries.js';
import { ReadinessQueries } from '../records/readiness.queries.js';
import { RegisterQueries } from '../records/register.queries.js';
import { SearchQueries } from '../records/search.queries.js';
import { ToDoQueries } from '../records/to-do.queries.js';
import { WorkListQueries } from '../records/work-lists.queries.js';
import { SettingsRepository } from '../settings/settings.repository.js';
import { inSpan } from '#observability';
import { runInTransaction, type TransactionOptions } from '../transactions.js';
import { WebhooksRepository } from '../webhooks/webhooks.repository.js';

type RepositoryClass<R> = new (db: EntityManager) => R;

/**
 * The repositories, all bound to the same connection: a transaction's, or the pool's. Each is made on first
 * use. Only libs/persistence holds SQL and entities' queries; the application asks these by name.
 */
export class Repositories {
  private readonly made = new Map<RepositoryClass<unknown>, unknown>();

  constructor(private readonly db: EntityManager) {}

  private of<R>(repository: RepositoryClass<R>): R {
    let made = this.made.get(repository) as R | undefined;
    if (!made) this.made.set(repository, (made = new repository(this.db)));
    return made;
  }

  get accountLinks(): AccountLinksRepository {
    return this.of(AccountLinksRepository);
  }

  get apiTokens(): ApiTokensRepository {
    return this.of(ApiTokensRepository);
  }

  get audit(): AuditRepository {
    return this.of(AuditRepository);
  }

  get auditChain(): AuditChainRepository {
    return this.of(AuditChainRepository);
  }

  get calendar(): CalendarRepository {
    return this.of(CalendarRepository);
  }

  get calendarCancels(): CalendarCancelQueries {
    return this.of(CalendarCancelQueries);
  }

  get dashboard(): DashboardQueries {
    return this.of(DashboardQueries);
  }

  get dashboardTallies(): DashboardTalliesRepository {
    return this.of(DashboardTalliesRepository);
  }

  get dispatch(): DispatchQueries {
    return this.of(DispatchQueries);
  }

  get evidenceFiles(): EvidenceFilesRepository {
    return this.of(EvidenceFilesRepository);
  }

  get inspections(): InspectionsRepository {
    return this.of(InspectionsRepository);
  }

  get ledger(): LedgerRepository {
    return this.of(LedgerRepository);
  }

  get ledgerFigures(): LedgerFiguresQueries {
    return this.of(LedgerFiguresQueries);
  }

  get notificationList(): NotificationListQueries {
    return this.of(NotificationListQueries);
  }

  get organisations(): OrganisationsRepository {
    return this.of(OrganisationsRepository);
  }

  get overdueList(): OverdueListQueries {
    return this.of(OverdueListQueries);
  }

  get policies(): PoliciesRepository {
    return this.of(PoliciesRepository);
  }

  get readiness(): ReadinessQueries {
    return this.of(ReadinessQueries);
  }

  get recipients(): RecipientsRepository {
    return this.of(RecipientsRepository);
  }

  get recommendations(): RecommendationsRepository {
    return this.of(RecommendationsRepository);
  }

  get register(): RegisterQueries {
    return this.of(RegisterQueries);
  }

  get search(): SearchQueries {
    return this.of(SearchQueries);
  }

  get settings(): SettingsRepository {
    return this.of(SettingsRepository);
  }

  get singleSignOn(): SingleSignOnRepository {
    return this.of(SingleSignOnRepository);
  }

  get toDo(): ToDoQueries {
    return this.of(ToDoQueries);
  }

  get twoFactor(): TwoFactorRepository {
    return this.of(TwoFactorRepository);
  }

  get users(): UsersRepository {
    return this.of(UsersRepository);
  }

  get webhooks(): WebhooksRepository {
    return this.of(WebhooksRepository);
  }

  get weeklySummary(): WeeklySummaryQueries {
    return this.of(WeeklySummaryQueries);
  }

  get workLists(): WorkListQueries {
    return this.of(WorkListQueries);
  }
}

/**
 * Injectable entry to storage. `pool` serves reads and single statements; `transaction` runs work in one
 * transaction (retried after a serialization failure or deadlock; database errors leave as domain errors).
 */
@Injectable()
export class Storage implements EntitySubscriberInterface, OnModuleInit {
  readonly pool: Repositories;
  private readonly auditedCommitListeners: Array<() => void> = [];

  constructor(private readonly db: DataSource) {
    this.pool = new Repositories(db.manager);
  }

  transaction<T>(work: (tx: Repositories) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return inSpan('db.transaction', {}, () =>
      runInTransaction(this.db, (manager) => work(new Repositories(manager)), options),
    );
  }

  /** Calls `listener` after each commit of a transaction that recorded an audit event, when the event is visible. */
  afterAuditedCommit(listener: () => void): void {
    this.auditedCommitListeners.push(listener);
  }

  onModuleInit(): void {
    if (!this.db.subscribers.includes(this)) this.db.subscribers.push(this);
  }

  /** TypeORM tells subscribers of every commit; only those `AuditRepository` marked call the listeners. */
  afterTransactionCommit(event: TransactionCommitEvent): void {
    const data = event.queryRunner.data as Record<string, unknown>;
    if (!data[AUDITED]) return;
    delete data[AUDITED];
    for (const listener of this.auditedCommitListeners) listener();
  }

  /**
   * Chains the audit events committed so far (see sequenceAuditEvents): on a connection and in transactions of its own.
   */
  sequenceAudit(chainKey: Buffer): Promise<SequenceReport> {
    return sequenceAuditEvents(this.db, chainKey);
  }

  /** The pool's connections (for /metrics): held by queries or transactions, idle, and callers waiting for one. */
  poolStats(): { total: number; idle: number; waiting: number } {
    const pool = (
      this.db.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }
    ).master;
    return pool
      ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }
      : { total: 0, idle: 0, waiting: 0 };
  }

  /** Answers when PostgreSQL does (for the health check). */
  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}
