// Asks the worker to send waiting invitation and password-reset emails soon after they are committed.
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AccountMailKick } from '#application';
import { accountEmailsKickJobId, JOB_QUEUE, JobName, REMOVE_ON_FAIL } from './queues.js';
import { QUEUES, withTimeout, type QueueMap } from './scheduler.service.js';

const ADD_TIMEOUT_MS = 2_000;

/**
 * Never throws or waits: a kick that cannot be added leaves the email to the sender's schedule
 * (ACCOUNT_EMAILS_EVERY_MS).
 */
@Injectable()
export class BullAccountMailKick implements AccountMailKick {
  private readonly logger = new Logger(BullAccountMailKick.name);

  constructor(@Inject(QUEUES) private readonly queues: QueueMap) {}

  kick(): void {
    const jobId = accountEmailsKickJobId(Date.now());
    withTimeout(
      this.queues[JOB_QUEUE[JobName.SendAccountEmails]].add(
        JobName.SendAccountEmails,
        {},
        { jobId, attempts: 1, removeOnComplete: true, removeOnFail: REMOVE_ON_FAIL },
      ),
      ADD_TIMEOUT_MS,
      'kicking the account email sender',
    ).catch((err: unknown) =>
      this.logger.debug({ err }, 'could not kick the account email sender; its schedule will send the email'),
    );
  }
}
