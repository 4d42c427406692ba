// A real SMTP server on loopback that records and parses what it accepts, for integration and e2e tests; it can refuse
// recipients (at RCPT or DATA).
import type { SMTPServerDataStream, SMTPServerError } from 'smtp-server';
import { startLoopbackSmtp } from '../../bench/loopback-smtp.js';

export interface MimePart {
  /** Lower-cased media type without parameters, e.g. `text/plain`. */
  contentType: string;
  filename?: string;
  headers: Record<string, string>;
  /** Body after undoing the transfer encoding (quoted-printable or base64), read as UTF-8. */
  body: string;
}

export interface CaughtMessage {
  envelope: { from: string; to: string[] };
  /** smtp-server's id of the SMTP session (connection) that delivered the message. */
  sessionId: string;
  raw: string;
  /** Top-level headers, names lower-cased, folded lines joined; the first of repeated headers wins. */
  headers: Record<string, string>;
  messageId?: string;
  kind?: string;
  subject?: string;
  /** The To header (the envelope recipients are in envelope.to). */
  to?: string;
  /** Leaf MIME parts in order: typically text/plain, text/html and any attachments. */
  parts: MimePart[];
  text?: string;
  html?: string;
  receivedAt: Date;
}

export interface SmtpReply {
  code: number;
  message: string;
  /** Where to refuse: at RCPT TO (default), or after the whole message was sent, at DATA. */
  at?: 'rcpt' | 'data';
}

/** Called for every recipient; null accepts it. */
export type SmtpResponder = (rcptTo: string) => SmtpReply | null;

export interface SmtpCatcher {
  port: number;
  /** `smtp://127.0.0.1:<port>` */
  url: string;
  /** Accepted messages, oldest first. Tests may clear it with `messages.length = 0`. */
  messages: CaughtMessage[];
  /** Connection errors the server reported (a client killed mid-transaction resets its connection). */
  errors: string[];
  setResponder(fn: SmtpResponder | null): void;
  /** Holds each message this long before accepting it: a slow server keeps a sender's jobs active. */
  setAcceptDelay(ms: number): void;
  /** Resolves with all messages once `predicate` holds for them; rejects after `timeoutMs`. */
  waitFor(predicate: (messages: CaughtMessage[]) => boolean, timeoutMs?: number): Promise<CaughtMessage[]>;
  close(): Promise<void>;
}

export async function startSmtpCatcher(options: { port?: number } = {}): Promise<SmtpCatcher> {
  const messages: CaughtMessage[] = [];
  const waiters = new Set<() => void>();
  let responder: SmtpResponder | null = null;
  let acceptDelayMs = 0;

  const refusal = (rcptTo: string, at: 'rcpt' | 'data'): SMTPServerError | null => {
    const reply = responder?.(rcptTo);
    if (!reply || (reply.at ?? 'rcpt') !== at) return null;
    return Object.assign(new Error(reply.message), { responseCode: reply.code });
  };

  const errors: string[] = [];
  const smtp = await startLoopbackSmtp(
    {
      onRcptTo(address, _session, callback) {
        callback(refusal(address.address, 'rcpt'));
      },
      onData(stream: SMTPServerDataStream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', (err) => callback(err));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((a) => a.address);
          const refused = to.map((rcpt) => refusal(rcpt, 'data')).find((err) => err !== null);
          if (refused) return callback(refused);
          const raw = Buffer.concat(chunks).toString('utf8');
          const mailFrom = session.envelope.mailFrom;
          const accept = () => {
            messages.push(parseMessage(raw, session.id, { from: mailFrom ? mailFrom.address : '', to }));
            for (const wake of waiters) wake();
            callback(null, 'Message accepted');
          };
          if (acceptDelayMs > 0) setTimeout(accept, acceptDelayMs);
          else accept();
        });
      },
    },
    { port: options.port, onError: (err) => errors.push(err.code ?? err.message) },
  );
  const port = smtp.port;

  return {
    port,
    url: smtp.url,
    messages,
    errors,
    setResponder(fn) {
      responder = fn;
    },
    setAcceptDelay(ms) {
      acceptDelayMs = ms;
    },
    waitFor(predicate, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(messages)) return false;
          done();
          resolve(messages);
          return true;
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(`smtp catcher: condition not met within ${timeoutMs} ms (${messages.length} messages caught)`),
          );
        }, timeoutMs);
        const wake = () => void check();
        const done = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        if (!check()) waiters.add(wake);
      });
    },
    close: () => smtp.close(),
  };
}

function parseMessage(raw: string, sessionId: string, envelope: CaughtMessage['envelope']): CaughtMessage {
  const { headers } = splitEntity(raw);
  const parts = leafParts(raw);
  return {
    envelope,
    sessionId,
    raw,
    headers,
    messageId: headers['message-id'],
    kind: headers['x-followup-kind'],
    subject: headers['subject'] === undefined ? undefined : decodeEncodedWords(headers['subject']),
    to: headers['to'] === undefined ? undefined : decodeEncodedWords(headers['to']),
    parts,
    text: parts.find((p) => p.contentType === 'text/plain' && !p.filename)?.body,
    html: parts.find((p) => p.contentType === 'text/html' && !p.filename)?.body,
    receivedAt: new Date(),
  };
}

function splitEntity(entity: string): { headers: Record<string, string>; body: string } {
  const match = /\r?\n\r?\n/.exec(entity);
  const head = match ? entity.slice(0, match.index) : entity;
  const body = match ? entity.slice(match.index + match[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function leafParts(entity: string): MimePart[] {
  const { headers, body } = splitEntity(entity);
  const contentType = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (/^multipart\//i.test(contentType) && boundary) {
    // Drop the preamble before the first delimiter and the epilogue after the closing one.
    const sections = body.split(new RegExp(`(?:^|\\r?\\n)--${escapeRegExp(boundary)}`)).slice(1, -1);
    return sections.flatMap((section) => leafParts(section.replace(/^[ \t]*\r?\n/, '')));
  }
  const filename =
    /filename="?([^";]+)"?/i.exec(headers['content-disposition'] ?? '')?.[1] ??
    /name="?([^";]+)"?/i.exec(contentType)?.[1];
  return [
    {
      contentType: contentType.split(';')[0].trim().toLowerCase(),
      ...(filename ? { filename } : {}),
      headers,
      body: decodeBody(body, headers['content-transfer-encoding']),
    },
  ];
}

function decodeBody(body: string, encoding = ''): string {
  switch (encoding.trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return body;
  }
}

function decodeQuotedPrintable(text: string): string {
  const unwrapped = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unwrapped.length; i++) {
    const hex = unwrapped.slice(i + 1, i + 3);
    if (unwrapped[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(unwrapped[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 words such as `=?UTF-8?Q?Caf=C3=A9?=`, which nodemailer uses for non-ASCII headers. */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BQ]\?[^?]*\?=)\s+(?==\?)/gi, '$1')
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_word, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
