// `npm start`'s public port: an HTTP relay to the API's private port that says who the client is itself
// (X-Forwarded-For), never repeating what the client claimed.
import { Agent, createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';

/**
 * Headers a client might send to pass itself off as someone else, or as coming over HTTPS: the relay sets or drops
 * them.
 */
const CLAIMS = [
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-real-ip',
  'forwarded',
];

/** The request's headers as the API should see them: the client's claims replaced by what the relay saw. */
export function relayedHeaders(headers: IncomingHttpHeaders, clientAddress: string | undefined): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  for (const name of CLAIMS) delete out[name];
  out['x-forwarded-for'] = clientAddress ?? '';
  out['x-forwarded-proto'] = 'http';
  return out;
}

/**
 * Listens on `port` and relays every request to the API on 127.0.0.1:`apiPort`. The API trusts its
 * loopback proxy (TRUST_PROXY=loopback), so the relay overwrites X-Forwarded-For with the address the
 * connection came from: a client cannot choose its own address and escape the per-address login limit.
 */
export async function openRelay(port: number, apiPort: number, host?: string): Promise<Server> {
  const agent = new Agent({ keepAlive: true });
  const relay = createServer((client, answer) => {
    const upstream = request(
      {
        host: '127.0.0.1',
        port: apiPort,
        method: client.method,
        path: client.url,
        headers: relayedHeaders(client.headers, client.socket.remoteAddress),
        agent,
      },
      (response) => {
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      },
    );
    upstream.on('error', () => {
      if (!answer.headersSent)
        answer.writeHead(502, { 'content-type': 'text/plain' }).end('The tracker is not answering.');
      else answer.destroy();
    });
    client.on('error', () => upstream.destroy());
    answer.on('close', () => {
      if (!answer.writableFinished) upstream.destroy();
    });
    client.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    relay.once('error', reject);
    relay.listen(port, host, resolve);
  });
  return relay;
}
