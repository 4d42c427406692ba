// The audit sequencer: chains committed audit events with the keyed hash, one worker at a time.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { Storage, auditChainKey, type SequenceReport } from '#persistence';
import { JobName, OnJob, type JobOutcome } from '#scheduling';

@Injectable()
export class AuditSequencerService {
  private readonly logger = new Logger('AuditSequencer');
  private readonly chainKey: Buffer;

  constructor(
    private readonly storage: Storage,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.chainKey = auditChainKey(config.auditKey);
  }

  /** Runs on every kick and every AUDIT_SEQUENCE_EVERY_MS; a run that finds another sequencer at work skips. */
  @OnJob(JobName.SequenceAudit)
  async handle(): Promise<JobOutcome> {
    const report = await this.sequence();
    return report.ran ? 'success' : 'skipped';
  }

  async sequence(): Promise<SequenceReport> {
    const report = await this.storage.sequenceAudit(this.chainKey);
    if (report.sequenced > 0)
      this.logger.debug({ sequenced: report.sequenced, head: report.head }, 'audit events chained');
    return report;
  }
}
