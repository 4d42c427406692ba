// A webhook receiver on loopback for the tests: records every request, answers as each path is told to, and drops
// duplicates by webhook-id.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What a path answers to its n-th request (0-based): a status, headers and a body. */
export type Responder = (n: number) => { status: number; headers?: Record<string, string>; body?: string };

export interface WebhookReceiver {
  url: string;
  port: number;
  /** Every request, in order of arrival. */
  received: ReceivedWebhook[];
  /** The first request of each webhook-id (what a receiver that drops duplicates keeps). */
  unique(): ReceivedWebhook[];
  on(path: string, responder: Responder): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const responders = new Map<string, Responder>();
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const n = counts.get(path) ?? 0;
      counts.set(path, n + 1);
      const answer = (responders.get(path) ?? ((): ReturnType<Responder> => ({ status: 204 })))(n);
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    unique() {
      const seen = new Set<string>();
      return received.filter((r) => {
        const id = String(r.headers['webhook-id']);
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
    },
    on(path, responder) {
      responders.set(path, responder);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
