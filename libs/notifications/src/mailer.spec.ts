// The mailer against a loopback SMTP server: what it sends, and which refusals are for good.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { startSmtpCatcher, type SmtpCatcher } from '../../../test/support/smtp-catcher.js';
import { Mailer, SmtpDeliveryError, type OutgoingEmail } from './mailer.js';
import { messageIdFor } from './message-id.js';
import { renderEmail } from './render-email.js';

const FROM = 'Follow-up Tracker <noreply@followup.example.gov.uk>';

function plainEmail(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    to: 'alex@northshire.police.uk',
    from: FROM,
    subject: 'Test',
    text: 'text',
    html: '<p>html</p>',
    kind: 'overdue',
    messageId: messageIdFor(`plain-${Math.random()}`, FROM),
    ...overrides,
  };
}

async function sendError(mailer: Mailer, email: OutgoingEmail): Promise<SmtpDeliveryError> {
  const err = await mailer.send(email).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SmtpDeliveryError);
  return err as SmtpDeliveryError;
}

describe('Mailer against a real SMTP server', () => {
  let catcher: SmtpCatcher;
  let mailer: Mailer;

  beforeAll(async () => {
    catcher = await startSmtpCatcher({ port: 0 });
    mailer = new Mailer({ url: catcher.url });
  });
  afterEach(() => {
    catcher.setResponder(null);
    catcher.messages.length = 0;
  });
  afterAll(async () => {
    mailer.close();
    await catcher.close();
  });

  it('verifies the connection', async () => {
    await expect(mailer.verify()).resolves.toBeUndefined();
  });

  it('delivers a rendered reminder with kind header, Message-ID, both parts and the calendar', async () => {
    const rendered = renderEmail({
      kind: 'reminder',
      recipient: { name: 'Alex Liaison', email: 'alex@northshire.police.uk' },
      appBaseUrl: 'https://followup.example.gov.uk',
      items: [
        {
          recommendationId: 'rec-42',
          organisationName: 'Northshire Police',
          inspectionTitle: 'PEEL 2018: Effectiveness',
          reference: 'REC-2018-042',
          recommendationText: 'The force should improve how it records crime.',
          deadlineType: 'action_plan',
          deadlineAt: new Date('2018-10-10T23:00:00Z'),
        },
      ],
    });
    const messageId = messageIdFor('rec-42|action_plan|2018-10-10|reminder|P7D|alex', FROM);

    const sent = await mailer.send({
      ...rendered,
      to: 'alex@northshire.police.uk',
      from: FROM,
      kind: 'reminder',
      messageId,
    });
    const [msg] = await catcher.waitFor((m) => m.length === 1);

    expect(sent.messageId).toBe(messageId);
    expect(sent.response).toMatch(/^250/);
    expect(msg.envelope).toEqual({ from: 'noreply@followup.example.gov.uk', to: ['alex@northshire.police.uk'] });
    expect(msg.kind).toBe('reminder');
    expect(msg.messageId).toBe(messageId);
    expect(msg.subject).toBe('Reminder, Northshire Police: 1 recommendation due, the first on 11 October 2018');
    expect(msg.raw).toMatch(/Content-Type: text\/plain/i);
    expect(msg.raw).toMatch(/Content-Type: text\/html/i);
    for (const body of [msg.text, msg.html]) {
      expect(body).toContain('https://followup.example.gov.uk/recommendations/rec-42');
      expect(body).toContain('Thursday 11 October 2018');
      expect(body).toContain('REC-2018-042');
    }
    const calendar = msg.parts.find((p) => p.contentType === 'text/calendar');
    expect(calendar?.filename).toBe('deadlines.ics');
    expect(calendar?.body).toContain('BEGIN:VEVENT');
    expect(calendar?.body).toContain('DTSTART;VALUE=DATE:20181011');
  });

  it('treats a 451 at RCPT as transient', async () => {
    catcher.setResponder(() => ({ code: 451, message: 'Try again later' }));

    const err = await sendError(mailer, plainEmail());

    expect(err.permanent).toBe(false);
    expect(err.responseCode).toBe(451);
    expect(err.serverUnavailable).toBe(false); // about this recipient: it backs off as long as it needs
    expect(catcher.messages).toHaveLength(0);
  });

  it('treats a 550 at RCPT as permanent', async () => {
    catcher.setResponder((rcpt) =>
      rcpt === 'gone@northshire.police.uk' ? { code: 550, message: 'No such user' } : null,
    );

    const err = await sendError(mailer, plainEmail({ to: 'gone@northshire.police.uk' }));

    expect(err.permanent).toBe(true);
    expect(err.responseCode).toBe(550);
  });

  it('classifies refusals after DATA the same way', async () => {
    catcher.setResponder(() => ({ code: 451, message: 'Queue full', at: 'data' }));
    expect((await sendError(mailer, plainEmail())).permanent).toBe(false);

    catcher.setResponder(() => ({ code: 554, message: 'Rejected', at: 'data' }));
    const err = await sendError(mailer, plainEmail());
    expect(err.permanent).toBe(true);
    expect(err.responseCode).toBe(554);
  });

  it('keeps delivering on the pool after a refusal', async () => {
    catcher.setResponder(() => ({ code: 550, message: 'No' }));
    await sendError(mailer, plainEmail());
    catcher.setResponder(null);

    await mailer.send(plainEmail({ kind: 'escalation' }));

    expect(catcher.messages.map((m) => m.kind)).toEqual(['escalation']);
  });

  it('reuses pooled connections for many messages', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => mailer.send(plainEmail({ subject: `Bulk ${i}` }))));

    expect(catcher.messages).toHaveLength(30);
    // smtp-server pauses 100 ms before each greeting, so a connection per message would be slow.
    expect(new Set(catcher.messages.map((m) => m.sessionId)).size).toBeLessThanOrEqual(5);
  });
});

describe('Mailer without a server', () => {
  it('reports a refused connection as transient within a few seconds', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const mailer = new Mailer({ url: `smtp://127.0.0.1:${port}`, connectionTimeoutMs: 2_000 });

    try {
      const started = Date.now();
      const err = await sendError(mailer, plainEmail());

      expect(err.permanent).toBe(false);
      expect(err.serverUnavailable).toBe(true);
      expect(err.responseCode).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(5_000);
      await expect(mailer.verify()).rejects.toMatchObject({ permanent: false });
    } finally {
      mailer.close();
    }
  });
});
