// The API in-process, the worker's module beside it and a loopback SMTP server: invitation and reset emails, end to
// end, with their links.
import { createHash } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import pg from 'pg';
import type { RunningApi } from './api-harness.js';
import type { CaughtMessage, SmtpCatcher } from './smtp-catcher.js';
import { waitUntil } from './wait.js';
import { startApiWithWorker } from './worker-module.js';

export interface IdentityWorld {
  api: RunningApi;
  catcher: SmtpCatcher;
  worker: TestingModule;
  /**
   * Waits for the `n`th (1-based) account email of `kind` to `email` and returns it with the link's path
   * (`/invitations/<token>`…).
   */
  linkEmail(
    email: string,
    kind: 'invitation' | 'password_reset',
    n?: number,
  ): Promise<{ message: CaughtMessage; path: string; token: string }>;
  /** How many account emails of `kind` went to `email`. */
  count(email: string, kind: 'invitation' | 'password_reset'): number;
  close(): Promise<void>;
}

/**
 * `env` goes to both the API and the worker (link lifetimes, MFA_REQUIRED_ROLES); APP_BASE_URL is the API's address, so
 * links open it.
 */
export async function startIdentityWorld(env: Record<string, string> = {}): Promise<IdentityWorld> {
  const { api, catcher, worker, close } = await startApiWithWorker(
    { MFA_REQUIRED_ROLES: 'none', ...env },
    (running) => ({ QUEUE_PREFIX: running.queuePrefix, APP_BASE_URL: running.baseUrl, LOG_LEVEL: 'silent' }),
  );
  const of = (email: string, kind: string) => (messages: CaughtMessage[]) =>
    messages.filter((m) => m.kind === kind && m.envelope.to.includes(email.toLowerCase()));
  return {
    api,
    catcher,
    worker,
    async linkEmail(email, kind, n = 1) {
      const messages = of(email, kind)(await catcher.waitFor((all) => of(email, kind)(all).length >= n, 20_000));
      const message = messages[n - 1];
      const match = /\/(invitations|reset-password)\/([A-Za-z0-9_-]{43})/.exec(message.text ?? '');
      if (!match) throw new Error(`no link in the ${kind} email to ${email}: ${message.text}`);
      // The worker commits the link's hash once the SMTP server has the email: wait for that commit, as a person's
      // click would.
      await waitForCommit(api.dbUrl, createHash('sha256').update(match[2]).digest('hex'));
      return { message, path: match[0], token: match[2] };
    },
    count: (email, kind) => of(email, kind)(catcher.messages).length,
    close,
  };
}

async function waitForCommit(dbUrl: string, tokenHash: string): Promise<void> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    await waitUntil(
      'the emailed link committed',
      async () =>
        Boolean((await client.query(`SELECT 1 FROM account_links WHERE token_hash = $1`, [tokenHash])).rowCount),
      30_000,
      50,
    );
  } finally {
    await client.end();
  }
}
