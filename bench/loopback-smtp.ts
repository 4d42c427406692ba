// A loopback SMTP server that accepts everything: the base of the benchmarks' sinks and of
// test/support/smtp-catcher.ts.
import { once } from 'node:events';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface LoopbackSmtp {
  server: SMTPServer;
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 (`port` 0: any free one). No TLS, no login, no reverse lookup; connection errors go to
 * `onError` (without a listener a reset connection would kill the process).
 */
export async function startLoopbackSmtp(
  options: Pick<SMTPServerOptions, 'onData' | 'onRcptTo' | 'maxClients'>,
  { port = 0, onError = () => undefined }: { port?: number; onError?: (err: NodeJS.ErrnoException) => void } = {},
): Promise<LoopbackSmtp> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    // Clients keep pooled connections open; do not let a forgotten one stall close() for 30 s.
    closeTimeout: 500,
    ...options,
  });
  server.on('error', onError);
  server.listen(port, '127.0.0.1');
  await once(server.server, 'listening');
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('the SMTP server did not bind a TCP port');
  return {
    server,
    port: address.port,
    url: `smtp://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Keeps a message's first bytes until its header has ended: enough to read its Message-ID without parsing the rest. */
export class MessageHead {
  private head = '';
  bytes = 0;

  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.head.length < 16_384 && !this.head.includes('\r\n\r\n')) this.head += chunk.toString('latin1');
  }

  messageId(): string {
    return /^message-id:\s*(\S+)/im.exec(this.head.split('\r\n\r\n')[0])?.[1] ?? '';
  }
}
