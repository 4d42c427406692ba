// The dispatch pipeline: drains what the ledger says is due, round after round: claim → load → compose → send → record
// → follow-ups.
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Job } from 'bullmq';
import { CLOCK, type Clock } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { NOTIFICATION_KINDS } from '#domain';
import { SmtpDeliveryError } from '#notifications';
import type { ClaimedLedgerRow } from '#persistence';
import { JobName, OnJob, type JobOutcome, type JobPayloads } from '#scheduling';
import { CLAIM_BATCHES, ClaimStage } from './claim.stage.js';
import { composeRecommendationEmail, composeSummaryEmail } from './compose.js';
import { composeDecisionEmail } from './compose-decision.js';
import { DISPATCH_OBSERVER, observed, type DispatchObserver } from './dispatch-observer.js';
import { groupBy, type Outcome, type Prepared, type Stale } from './dispatch-rows.js';
import { LoadStage, type LoadedRound } from './load.stage.js';
import { RecordStage } from './record.stage.js';
import { SendStage } from './send.stage.js';

/**
 * A round claims up to CLAIM_BATCHES due batches in one transaction, loads their recommendations in one
 * query, sends its emails at once (the SMTP pool queues them) and records the outcomes in a few statements.
 */
@Injectable()
export class DispatchService {
  private readonly logger = new Logger(DispatchService.name);
  private stopping = false;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly claimer: ClaimStage,
    private readonly loader: LoadStage,
    private readonly sender: SendStage,
    private readonly recorder: RecordStage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(DISPATCH_OBSERVER) private readonly observer: DispatchObserver | null = null,
  ) {}

  @OnJob(JobName.DispatchDue)
  handle(job: Job<JobPayloads[JobName.DispatchDue]>): Promise<JobOutcome> {
    return this.drain(job.data);
  }

  /** On shutdown: a drain finishes its round, then stops and leaves the rest to its job's retry elsewhere. */
  stopDraining(): void {
    this.stopping = true;
  }

  /** Sends, round after round, every batch due by the slot (or by now, if this runs late). */
  drain(payload: JobPayloads[JobName.DispatchDue]): Promise<JobOutcome> {
    return observed(this.observer, 'drain', () => this.drainRounds(payload));
  }

  private async drainRounds({ slot, drain }: JobPayloads[JobName.DispatchDue]): Promise<JobOutcome> {
    let rounds = 0;
    for (;;) {
      if (this.stopping) throw new Error('the worker is stopping: what is still due is left to this job’s retry');
      const now = this.clock.now();
      const claimed = await observed(this.observer, 'claim', () => this.claimer.claim(slot, now));
      if (claimed.batches === 0) break;
      rounds += 1;
      // A burst: let the other drains of this slot (and so the other workers) share it.
      if (rounds === 1 && drain === 0 && claimed.batches === CLAIM_BATCHES) await this.claimer.shareBurst(slot);
      const { sent, refused } = await this.deliverRound(claimed.rows, now);
      if (sent === 0 && refused > 0) {
        // The server refuses everything: its retries are scheduled; hammering it now helps nobody.
        this.logger.warn(
          { slot, drain, refused },
          'every email of a round was refused for now; the rest waits for the retries',
        );
        break;
      }
    }
    return rounds > 0 ? 'success' : 'skipped';
  }

  private async deliverRound(claimed: ClaimedLedgerRow[], now: Date): Promise<{ sent: number; refused: number }> {
    const round = await observed(this.observer, 'load', () => this.loader.load(claimed));
    // Nearly always one email per batch; two when rows joined a batch after its first email had gone.
    const outcomes = await Promise.all(
      groupBy(round.rows, (r) => r.messageId).map((email) => this.deliver(email, round, now)),
    );
    if (round.unentitled.length > 0) outcomes.push({ result: 'stale', stale: round.unentitled });
    await observed(this.observer, 'record', () => this.recorder.record(outcomes, now));
    return {
      sent: outcomes.filter((o) => o.result === 'delivered').length,
      refused: outcomes.filter((o) => o.result === 'refused' && !o.permanent).length,
    };
  }

  /** One email: compose and send. Never throws: a failure is an outcome to record. */
  private async deliver(rows: ClaimedLedgerRow[], round: LoadedRound, now: Date): Promise<Outcome> {
    const messageId = rows[0].messageId;
    let stale: Stale[] = [];
    try {
      const prepared = await this.compose(rows, round, now);
      stale = prepared.stale;
      if (!prepared.content) return { result: 'stale', stale };
      const content = prepared.content;
      await observed(this.observer, 'send', () => this.sender.send(content, messageId));
      return { result: 'delivered', messageId, prepared };
    } catch (err) {
      const permanent = err instanceof SmtpDeliveryError && err.permanent;
      const staleIds = new Set(stale.map((s) => s.id));
      return { result: 'refused', messageId, rows: rows.filter((r) => !staleIds.has(r.id)), err, permanent, stale };
    }
  }

  private async compose(rows: ClaimedLedgerRow[], round: LoadedRound, now: Date): Promise<Prepared> {
    const appBaseUrl = this.config.env.APP_BASE_URL;
    switch (NOTIFICATION_KINDS[rows[0].kind].email.compose) {
      case 'decisions':
        return composeDecisionEmail(rows, round.recommendations, round.decisions, appBaseUrl);
      case 'recommendations':
        return composeRecommendationEmail(rows, round.recommendations, now, appBaseUrl);
      case 'weekly_summary':
        return composeSummaryEmail(rows, await this.loader.summaryFacts(rows, now), now, appBaseUrl);
    }
  }
}
