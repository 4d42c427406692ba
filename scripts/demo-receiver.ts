// `npm start`'s webhook receiver: verifies each delivery's signature, drops duplicates by webhook-id, and shows what
// arrived on a page that refreshes itself.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export const DEMO_RECEIVER_PATH = '/demo-receiver/hooks';

export interface ReceivedDelivery {
  at: Date;
  id: string;
  type: string;
  summary: string;
  link: string;
  verified: boolean;
  duplicate: boolean;
}

export interface DemoReceiver {
  /** The page people open. */
  url: string;
  /** Where the tracker sends deliveries. */
  hookUrl: string;
  deliveries: ReceivedDelivery[];
  /** The subscription's secret, once it is known: deliveries are verified with it. */
  setSecret(secret: string): void;
  close: () => Promise<void>;
}

const KEPT = 200;
const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const time = (at: Date) => at.toLocaleTimeString('en-GB', { timeZone: 'Europe/London' });

function page(deliveries: readonly ReceivedDelivery[]): string {
  const rows = deliveries
    .slice()
    .reverse()
    .map(
      (
        d,
      ) => `<tr class="govuk-table__row"><td class="govuk-table__cell">${time(d.at)}</td><td class="govuk-table__cell"><a class="govuk-link" href="${escape(d.link)}">${escape(d.summary)}</a></td>
<td class="govuk-table__cell">${d.verified ? 'Signature checked' : '<strong>Signature wrong</strong>'}${d.duplicate ? ', a repeat (dropped)' : ''}</td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>Webhook deliveries – demo receiver</title>
<style>body{font-family:Arial,sans-serif;margin:2em;color:#0b0c0c}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #b1b4b6;padding:.5em;text-align:left}</style></head>
<body><main><h1>Webhook deliveries</h1><p>What a force's system receives from Follow-up Tracker, newest first. Act on a recommendation in the tracker and watch it arrive. This page refreshes every 3 seconds.</p>
${deliveries.length ? `<table class="govuk-table"><caption>Deliveries received</caption><thead><tr><th scope="col">Received</th><th scope="col">Event</th><th scope="col">Check</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>Nothing has arrived yet.</p>'}
</main></body></html>`;
}

/** A receiver on 127.0.0.1 (a free port, or `port`). */
export async function startDemoReceiver(port = 0): Promise<DemoReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  const seen = new Set<string>();
  let verifier: Webhook | null = null;
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === DEMO_RECEIVER_PATH) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = req.headers as Record<string, string>;
        let verified = false;
        let parsed: { type?: string; data?: { summary?: string; link?: string } } = {};
        try {
          parsed =
            (verifier?.verify(body, headers) as typeof parsed | undefined) ?? (JSON.parse(body) as typeof parsed);
          verified = verifier !== null;
        } catch {
          parsed = ((): typeof parsed => {
            try {
              return JSON.parse(body) as typeof parsed;
            } catch {
              return {};
            }
          })();
        }
        const id = headers['webhook-id'] ?? '';
        deliveries.push({
          at: new Date(),
          id,
          type: parsed.type ?? '?',
          summary: parsed.data?.summary ?? parsed.type ?? 'unreadable',
          link: parsed.data?.link ?? '#',
          verified,
          duplicate: seen.has(id),
        });
        seen.add(id);
        if (deliveries.length > KEPT) deliveries.shift();
        res.writeHead(204).end();
      });
      return;
    }
    if (req.method === 'GET' && (req.url === '/' || req.url === '/demo-receiver')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(deliveries));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    hookUrl: `http://127.0.0.1:${bound}${DEMO_RECEIVER_PATH}`,
    deliveries,
    setSecret: (secret) => {
      verifier = new Webhook(secret);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Subscribes the receiver to every event as the administrator (over the API at `baseUrl`), replacing the
 * subscriptions earlier starts made (their ports are gone).
 */
export async function subscribeDemoReceiver(
  baseUrl: string,
  email: string,
  password: string,
  receiver: DemoReceiver,
  events: readonly string[],
): Promise<void> {
  const login = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!login.ok) throw new Error(`could not sign in as ${email}: ${login.status}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const headers = {
    authorization: `Bearer ${accessToken}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  const { items } = (await (await fetch(`${baseUrl}/webhooks`, { headers })).json()) as {
    items: { id: string; url: string }[];
  };
  for (const old of items.filter((s) => new URL(s.url).pathname === DEMO_RECEIVER_PATH))
    await fetch(`${baseUrl}/webhooks/${old.id}`, { method: 'DELETE', headers });
  const created = await fetch(`${baseUrl}/webhooks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ url: receiver.hookUrl, events }),
  });
  if (created.status !== 201)
    throw new Error(`could not subscribe the demo receiver: ${created.status} ${await created.text()}`);
  receiver.setSecret(((await created.json()) as { secret: string }).secret);
}
