// Sends invitation and password-reset emails: mints each link's token as it sends, so only its hash is ever stored.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, identitySettings, type Clock, type IdentitySettings } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { mintOneTimeToken } from '#auth';
import { accountLinkPath, Mailer, messageIdFor, renderAccountEmail, SmtpDeliveryError } from '#notifications';
import { Storage } from '#persistence';
import { JobName, OnJob, type JobOutcome } from '#scheduling';

/** Emails per run: more wait for the next kick or the schedule. */
const MAX_PER_RUN = 100;

/**
 * One link at a time, each in its own transaction: the row is locked (other workers skip it), a fresh token
 * is minted, its hash stored and the email sent; the commit follows the SMTP server's acceptance. If the
 * server refuses for now, the transaction rolls back and the link waits for the next run (a kick, or the
 * schedule every ACCOUNT_EMAILS_EVERY_MS); refused for good, the link is revoked with the reason. Should the
 * commit fail after the email went, its link does not work and the next run sends another that does.
 */
@Injectable()
export class AccountEmailsService {
  private readonly logger = new Logger('AccountEmails');
  private readonly settings: IdentitySettings;

  constructor(
    private readonly storage: Storage,
    private readonly mailer: Mailer,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.settings = identitySettings(config);
  }

  @OnJob(JobName.SendAccountEmails)
  async handle(): Promise<JobOutcome> {
    return (await this.sendWaiting()) > 0 ? 'success' : 'skipped';
  }

  /** Sends what is waiting; says how many went. Stops at the first email the server refuses for now. */
  async sendWaiting(): Promise<number> {
    let sent = 0;
    for (let i = 0; i < MAX_PER_RUN; i++) {
      try {
        const outcome = await this.storage.transaction((tx) => this.sendOne(tx));
        if (outcome === 'none') break;
        if (outcome === 'sent') sent++;
      } catch (error) {
        this.logger.warn({ err: error }, 'an account email could not be sent now; it is tried again on the next run');
        break;
      }
    }
    return sent;
  }

  private async sendOne(
    tx: Parameters<Parameters<Storage['transaction']>[0]>[0],
  ): Promise<'none' | 'sent' | 'dropped'> {
    const now = this.clock.now();
    const row = await tx.accountLinks.claimUnsent(now);
    if (!row) return 'none';
    if (!row.active) {
      await tx.accountLinks.markUnsendable(row.id, 'the person was deactivated before the email went', now);
      return 'dropped';
    }
    const { token, hash } = mintOneTimeToken();
    await tx.accountLinks.markSent(row.id, hash, now);
    const env = this.config.env;
    const rendered = renderAccountEmail({
      purpose: row.purpose,
      name: row.name,
      email: row.email,
      link: `${env.APP_BASE_URL.replace(/\/+$/, '')}${accountLinkPath(row.purpose, token)}`,
      expiresAt: row.expiresAt,
      appBaseUrl: env.APP_BASE_URL,
      mfa: this.settings.mfaRequiredRoles.has(row.role),
    });
    try {
      await this.mailer.send({
        to: row.email,
        from: env.MAIL_FROM,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        kind: row.purpose,
        messageId: messageIdFor(`account-link|${row.id}|${hash}`, env.MAIL_FROM),
      });
    } catch (error) {
      const failure = SmtpDeliveryError.from(error);
      if (!failure.permanent) throw failure;
      // Refused for good: the link is revoked with the reason (the administrator's page shows it), not retried.
      await tx.accountLinks.markUnsendable(row.id, failure.message, now);
      return 'dropped';
    }
    this.logger.log({ link: row.id, purpose: row.purpose }, 'account email sent');
    return 'sent';
  }
}
