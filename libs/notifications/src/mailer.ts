// The pooled SMTP mailer, and SmtpDeliveryError, which says whether a refusal is for good and whether the server is
// away.
import nodemailer, { type NodemailerError, type SendMailOptions, type Transporter } from 'nodemailer';
import { SpanKind, inSpan } from '#observability';

export interface MailerOptions {
  /** `smtp://host:port` or `smtps://user:pass@host:port`. */
  url: string;
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
  maxConnections?: number;
}

export interface OutgoingEmail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Sent as the `X-Followup-Kind` header. */
  kind: string;
  /** Full Message-ID including angle brackets, see messageIdFor(). */
  messageId: string;
  /** iCalendar text: with PUBLISH (the default) attached as deadlines.ics; with CANCEL the message's calendar part. */
  icalEvents?: string;
  icalMethod?: 'PUBLISH' | 'CANCEL';
}

export interface SentEmail {
  messageId: string;
  response: string;
}

/**
 * A failed delivery. `permanent` tells the caller not to retry: the server refused the message
 * for good (5xx) or it can never be sent as it is. Everything else (4xx, timeouts, refused or
 * dropped connections) may succeed later.
 */
export class SmtpDeliveryError extends Error {
  override readonly name = 'SmtpDeliveryError';
  readonly permanent: boolean;
  /** The server could not be reached or said it is closing (421): nothing about this message or recipient. */
  readonly serverUnavailable: boolean;
  readonly responseCode?: number;
  /** Nodemailer's error code, e.g. ECONNECTION, ETIMEDOUT, EENVELOPE, EMESSAGE. */
  readonly code?: string;

  constructor(message: string, opts: { permanent: boolean; responseCode?: number; code?: string; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.permanent = opts.permanent;
    this.responseCode = opts.responseCode;
    this.code = opts.code;
    this.serverUnavailable =
      opts.responseCode === 421 || (opts.responseCode === undefined && SERVER_UNREACHABLE_CODES.has(opts.code ?? ''));
  }

  static from(err: unknown): SmtpDeliveryError {
    if (err instanceof SmtpDeliveryError) return err;
    const e = (err ?? {}) as NodemailerError;
    const message = e.message ?? String(err);
    return new SmtpDeliveryError(message, {
      permanent: isPermanent(e),
      responseCode: e.responseCode,
      code: e.code,
      cause: err,
    });
  }
}

/** Nodemailer's codes for a connection that failed before the server said anything about a message. */
const SERVER_UNREACHABLE_CODES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ECONNREFUSED', 'ECONNRESET']);

function isPermanent(err: NodemailerError): boolean {
  if (err.responseCode) {
    // RFC 5321: 5yz is a permanent failure, except 503 (bad sequence), which only says the
    // session was in the wrong state; nodemailer's own err.permanent uses the same rule.
    return err.responseCode >= 500 && err.responseCode < 600 && err.responseCode !== 503;
  }
  // Without a server reply these codes mean nodemailer refused the message itself (e.g. an
  // invalid address): sending it again cannot help.
  return err.code === 'EENVELOPE' || err.code === 'EMESSAGE';
}

/** A pooled SMTP transport; one instance per process. */
export class Mailer {
  private readonly transport: Transporter;

  constructor(options: MailerOptions) {
    this.transport = nodemailer.createTransport({
      url: options.url,
      // smtp-server (and many relays) pause before the greeting, so reusing connections matters.
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      maxMessages: Infinity,
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      greetingTimeout: options.greetingTimeoutMs ?? 5_000,
      socketTimeout: options.socketTimeoutMs ?? 10_000,
    });
  }

  async send(msg: OutgoingEmail): Promise<SentEmail> {
    const mail: SendMailOptions = {
      to: msg.to,
      from: msg.from,
      subject: msg.subject,
      text: msg.text,
      html: msg.html,
      messageId: msg.messageId,
      headers: { 'X-Followup-Kind': msg.kind },
      attachments:
        msg.icalEvents && msg.icalMethod !== 'CANCEL'
          ? [
              {
                filename: 'deadlines.ics',
                content: msg.icalEvents,
                contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
              },
            ]
          : [],
      // A cancellation as calendar apps expect one: a text/calendar; method=CANCEL alternative (and the same as
      // cancel.ics).
      ...(msg.icalEvents && msg.icalMethod === 'CANCEL'
        ? { icalEvent: { method: 'CANCEL', filename: 'cancel.ics', content: msg.icalEvents } }
        : {}),
    };
    try {
      const info = await inSpan(
        'smtp send',
        { 'email.kind': msg.kind },
        () => this.transport.sendMail(mail),
        SpanKind.CLIENT,
      );
      return { messageId: info.messageId ?? msg.messageId, response: String(info.response ?? '') };
    } catch (err) {
      throw SmtpDeliveryError.from(err);
    }
  }

  /** Opens one connection and greets the server; throws SmtpDeliveryError if it cannot. */
  async verify(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (err) {
      throw SmtpDeliveryError.from(err);
    }
  }

  /** Closes idle connections now; a message being delivered is finished first. */
  close(): void {
    this.transport.close();
  }
}
