// The identity use cases' ports: the kick that has the worker send account emails soon.
export const ACCOUNT_MAIL = Symbol('ACCOUNT_MAIL');

/**
 * Asks the worker to send the account emails waiting in `account_links`; called after commit, never throws or waits.
 */
export interface AccountMailKick {
  kick(): void;
}
