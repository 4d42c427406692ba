// The worker's evidence jobs: scanning one file (clamd INSTREAM), and the hourly housekeeping (retention, scan
// catch-up); malware is reported by email.
import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { EvidenceRetention, EvidenceScanning, type InfectedFileNotice } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { Mailer, recommendationLink } from '#notifications';
import { evidenceScans } from '#observability';
import { JobName, OnJob, type JobOutcome, type JobPayloads } from '#scheduling';

/** The email kind (X-Followup-Kind) of a malware report. */
export const EVIDENCE_INFECTED_KIND = 'evidence_infected';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

@Injectable()
export class EvidenceJobs {
  private readonly logger = new Logger(EvidenceJobs.name);

  constructor(
    private readonly scanning: EvidenceScanning,
    private readonly retention: EvidenceRetention,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnJob(JobName.ScanEvidence)
  async scan(job: Job<JobPayloads[JobName.ScanEvidence]>): Promise<JobOutcome> {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let outcome: Awaited<ReturnType<EvidenceScanning['scan']>>;
    try {
      outcome = await this.scanning.scan(job.data.fileId, lastAttempt);
    } catch (err) {
      evidenceScans.inc({ result: 'error' });
      throw err;
    }
    if (outcome.result === 'skipped') return 'skipped';
    evidenceScans.inc({ result: outcome.result });
    if (outcome.result === 'infected') await this.report(outcome.notice);
    return 'success';
  }

  @OnJob(JobName.EvidenceHousekeeping)
  async housekeeping(): Promise<JobOutcome> {
    const deleted = await this.retention.run();
    const requeued = await this.scanning.catchUp();
    this.logger.log({ deleted: deleted.length, requeued }, 'evidence housekeeping');
    return 'success';
  }

  /** Tells the uploader and the administrators; the file is already quarantined, so a lost email loses no safety. */
  private async report(notice: InfectedFileNotice): Promise<void> {
    const link = recommendationLink(this.config.env.APP_BASE_URL, notice.file.recommendationId);
    const text = [
      `The virus scanner found malware (${notice.signature}) in the evidence file "${notice.file.name}".`,
      'The file has been quarantined: nobody can download it, and it cannot support a closure proposal.',
      `Recommendation: ${link}`,
    ].join('\n\n');
    const html = `<p>The virus scanner found malware (${escapeHtml(notice.signature)}) in the evidence file “${escapeHtml(notice.file.name)}”.</p>
<p>The file has been quarantined: nobody can download it, and it cannot support a closure proposal.</p>
<p><a href="${escapeHtml(link)}">Open the recommendation</a></p>`;
    const domain = this.config.env.MAIL_FROM.split('@')[1] ?? 'localhost';
    for (const person of notice.recipients) {
      // Derived from what it reports, so a resend after a crash is recognisably the same message.
      const messageId = `<evidence-infected.${notice.file.id}.${createHash('sha256').update(person.email).digest('hex').slice(0, 16)}@${domain}>`;
      try {
        await this.mailer.send({
          to: person.email,
          from: this.config.env.MAIL_FROM,
          subject: 'Malware found in an evidence file',
          text,
          html,
          kind: EVIDENCE_INFECTED_KIND,
          messageId,
        });
      } catch (err) {
        this.logger.warn({ err, fileId: notice.file.id }, 'could not email a malware report');
      }
    }
  }
}
