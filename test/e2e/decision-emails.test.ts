// Through the API and a worker process, to a loopback SMTP server: each decision emails the force's liaisons (and the
// owner, when a user) at once, with who decided and why.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { agreedPlan, type RunningApi, type TestUser } from '../support/api-harness.js';
import { inspectionDueAt, startMailPipeline, type MailPipeline } from '../support/mail-pipeline.js';
import type { CaughtMessage, SmtpCatcher } from '../support/smtp-catcher.js';
import { waitFor } from '../support/wait.js';

const SECOND = 1000;
const DAY = 86_400_000;
const APP_BASE_URL = 'https://tracker.example';

/** A half-hour send window twelve hours from now (London): reminders would wait for it; decisions must not. */
function windowAwayFromNow(): string {
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(
      new Date(),
    ),
  );
  const away = String((hour + 12) % 24).padStart(2, '0');
  return `${away}:00-${away}:30`;
}

const ENV = {
  MAIL_FROM: 'followup@decisions.test',
  APP_BASE_URL,
  DIGEST_WINDOW: 'PT0.5S',
  SEND_WINDOW: windowAwayFromNow(),
  REMINDER_OFFSETS: 'P1D',
  JOB_BACKOFF_MS: '200',
};

describe('decision emails', () => {
  let pipeline: MailPipeline, catcher: SmtpCatcher, api: RunningApi;
  const people: Record<string, TestUser> = {};
  let rec: { id: string; reference: string };

  beforeAll(async () => {
    pipeline = await startMailPipeline('decisions', ENV);
    ({ api, catcher } = pipeline);
    const force = await api.createOrganisation({ name: 'Merseyside Police' });
    const otherForce = await api.createOrganisation({ name: 'Cheshire Constabulary' });
    people.lead = await api.createUser('inspector', [], { name: 'Ines Inspector' });
    people.liaisonA = await api.createUser('liaison', [force.id], { name: 'Lena Liaison' });
    people.liaisonB = await api.createUser('liaison', [force.id], { name: 'Luke Liaison' });
    people.otherForce = await api.createUser('liaison', [otherForce.id]);
    // The plan's owner is a person of the force (a manager here), named on the plan by their name.
    people.owner = await api.createUser('manager', [force.id], { name: 'Olive Owner' });
    people.manager = await api.createUser('manager', []);
    const inspection = await api.createInspection(
      people.lead.token,
      inspectionDueAt(Date.now() + 40 * DAY, {
        organisationId: force.id,
        leadInspectorId: people.lead.id,
        recommendations: [
          {
            reference: '4',
            text: 'The force should clear its backlog of visits to registered sex offenders. It should report monthly.',
          },
        ],
      }),
    );
    [rec] = inspection.recommendations;
    await transition(people.liaisonA, agreedPlan(0, { owner: ' olive owner ' }));
  }, 90 * SECOND);

  afterAll(() => pipeline?.close());

  async function transition(user: TestUser, body: Record<string, unknown>): Promise<void> {
    const version = (await api.adminApi.get(`/recommendations/${rec.id}`)).body.version;
    const res = await user.api.post(`/recommendations/${rec.id}/transitions`, { ...body, version });
    expect(res.status).toBe(200);
  }
  /** The decision emails `user` received, their text with plain line ends. */
  const decisionsTo = (user: TestUser) =>
    catcher.messages
      .filter((m) => m.envelope.to.includes(user.email) && m.kind === 'decision')
      .map((m) => ({ ...m, text: m.text?.replace(/\r\n/g, '\n') }));
  const propose = (title: string) => transition(people.liaisonA, { action: 'propose_closure', evidence: [{ title }] });

  it(
    'emails a returned closure to every liaison of the force and to the owner at once, naming the recommendation, the decision, who made it and the reason',
    async () => {
      await propose('Audit of visits, one division');
      const decidedAt = Date.now();
      await transition(people.lead, {
        action: 'return',
        comment: 'The audit covers one division only.\nSend the force-wide figures.',
      });
      const told = [people.liaisonA, people.liaisonB, people.owner];
      await catcher.waitFor(() => told.every((u) => decisionsTo(u).length === 1), 20 * SECOND);
      for (const user of told) {
        const [email] = decisionsTo(user);
        // Not held for the send window (twelve hours away): sent within seconds of the decision.
        expect(email.receivedAt.getTime() - decidedAt).toBeLessThan(15 * SECOND);
        expect(email.subject).toBe(`Decision on recommendation ${rec.reference}: closure returned (Merseyside Police)`);
        expect(email.text).toContain('Closure returned to the force');
        expect(email.text).toContain(
          'Recommendation 4: The force should clear its backlog of visits to registered sex…',
        );
        expect(email.text).toContain('Decided by Ines Inspector on ');
        expect(email.text).toContain('Reason:\nThe audit covers one division only.\nSend the force-wide figures.');
        expect(email.html).toContain('The audit covers one division only.');
        expect(email.text).toContain(`${APP_BASE_URL}/recommendations/${rec.id}`);
      }
      // Nobody else hears of it: not another force, not the inspector who decided, not a manager.
      for (const user of [people.otherForce, people.lead, people.manager]) expect(decisionsTo(user)).toHaveLength(0);
    },
    40 * SECOND,
  );

  it(
    'emails the authorised closure, and then the reopening, each as a decision of its own',
    async () => {
      await propose('Audit of visits, every division');
      await transition(people.lead, { action: 'authorise_closure' });
      await catcher.waitFor(() => decisionsTo(people.liaisonB).length === 2, 20 * SECOND);
      expect(decisionsTo(people.liaisonB)[1].subject).toBe(
        `Decision on recommendation ${rec.reference}: closure authorised (Merseyside Police)`,
      );
      expect(decisionsTo(people.liaisonB)[1].text).toContain('Closure authorised: closed as implemented');
      expect(decisionsTo(people.liaisonB)[1].text).not.toContain('Reason:');

      await transition(people.lead, { action: 'reopen', comment: 'The backlog has returned' });
      await catcher.waitFor(() => decisionsTo(people.liaisonB).length === 3, 20 * SECOND);
      const reopened = decisionsTo(people.liaisonB)[2];
      expect(reopened.subject).toBe(`Decision on recommendation ${rec.reference}: reopened (Merseyside Police)`);
      expect(reopened.text).toContain('Reason:\nThe backlog has returned');
    },
    60 * SECOND,
  );

  it(
    'records each decision notice in the ledger as sent, once per recipient, and a liaison withdrawing or amending sends none',
    async () => {
      await transition(people.liaisonA, {
        action: 'amend_plan',
        targetDate: '2031-01-31',
        comment: 'New system in January',
      });
      await propose('Another audit');
      await transition(people.liaisonA, { action: 'withdraw_closure', comment: 'Wrong file' });
      const decisionRows = async () => {
        const ledger = await api.adminApi.get(`/notifications?recommendationId=${rec.id}&kind=decision`);
        expect(ledger.status).toBe(200);
        return ledger.body.items as { recipient: string; status: string }[];
      };
      // The last notices of the decisions before may still be on their way: a row says sent once SMTP accepted it.
      const rows = await waitFor(
        'every decision notice sent',
        async () => {
          const now = await decisionRows();
          return now.length >= 9 && now.every((r) => r.status === 'sent') ? now : undefined;
        },
        20 * SECOND,
      );
      expect(rows).toHaveLength(9);
      expect(new Set(rows.map((r) => r.recipient))).toEqual(
        new Set([people.liaisonA.email, people.liaisonB.email, people.owner.email]),
      );
      // Give any stray notice time to arrive: still three decision emails each.
      await new Promise((resolve) => setTimeout(resolve, 2 * SECOND));
      const all: CaughtMessage[] = catcher.messages.filter((m) => m.kind === 'decision');
      expect(all).toHaveLength(9);
    },
    30 * SECOND,
  );
});
