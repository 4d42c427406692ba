// Asking for a password-reset link without the answer's timing telling whether the address has an account: the API's
// and the page's.
import type { Logger } from '@nestjs/common';
import type { AccountLinksService } from '#application';

/**
 * The lookup and the link are made after the answer has gone, so that how long the answer takes cannot tell
 * whether the address has an account. A failure is logged (the person can ask again), never answered.
 */
export function requestResetInBackground(links: AccountLinksService, email: string, logger: Logger): void {
  setImmediate(() => {
    links
      .requestReset(email)
      .catch((error: unknown) => logger.error({ err: error }, 'a password-reset request could not be recorded'));
  });
}
