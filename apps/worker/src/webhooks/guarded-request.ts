// One webhook POST, safe by construction: no redirects, a timeout, a response size cap, and addresses checked when the
// socket connects.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isNonPublicAddress } from './addresses.js';

export interface GuardOptions {
  /** WEBHOOK_ALLOW_PRIVATE: loopback, link-local and private addresses may be reached. */
  allowPrivate: boolean;
  /** Production: https only. */
  httpsOnly: boolean;
  timeoutMs: number;
  maxResponseBytes: number;
}

export interface PostResult {
  statusCode: number | null;
  retryAfter: string | null;
  durationMs: number;
  /** Why there was no usable answer, for the attempt's record. */
  error: string | null;
  /** Refused before sending (address or scheme not allowed): trying again cannot help. */
  permanent: boolean;
}

export class AddressNotAllowedError extends Error {
  readonly code = 'EWEBHOOKADDRESS';
}

/**
 * A DNS lookup that refuses non-public addresses: the agent calls it for every new connection, so the
 * address checked is the address connected to, and a name that re-resolves elsewhere (DNS rebinding)
 * is checked again.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (
    hostname: string,
    options: LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses;
      const refused = allowPrivate ? undefined : list.find((a) => isNonPublicAddress(a.address));
      if (refused)
        return callback(
          new AddressNotAllowedError(`${hostname} resolves to ${refused.address}, which is not a public address`),
          '',
        );
      if (list.length === 0)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
      if (options.all) callback(null, list);
      else callback(null, list[0].address, list[0].family);
    });
  };
}

/** Keep-alive agents whose every new connection goes through the guarded lookup. */
export class GuardedClient {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(private readonly options: GuardOptions) {
    const lookup = guardedLookup(options.allowPrivate);
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64, lookup });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64, lookup });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** POSTs `body`; never throws: every outcome is a PostResult. A 3xx is an answer like any other (not followed). */
  post(target: string, body: string, headers: Record<string, string>): Promise<PostResult> {
    const started = performance.now();
    const done = (partial: Omit<PostResult, 'durationMs'>): PostResult => ({
      ...partial,
      durationMs: Math.round(performance.now() - started),
    });
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return Promise.resolve(done({ statusCode: null, retryAfter: null, error: 'not a URL', permanent: true }));
    }
    const allowedSchemes = this.options.httpsOnly ? ['https:'] : ['https:', 'http:'];
    if (!allowedSchemes.includes(url.protocol))
      return Promise.resolve(
        done({ statusCode: null, retryAfter: null, error: `${url.protocol} is not allowed here`, permanent: true }),
      );
    // An address written in the URL never goes through a lookup: it is checked here instead.
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) !== 0 && !this.options.allowPrivate && isNonPublicAddress(literal)) {
      return Promise.resolve(
        done({ statusCode: null, retryAfter: null, error: `${literal} is not a public address`, permanent: true }),
      );
    }
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<PostResult>((resolve) => {
      let settled = false;
      const finish = (result: Omit<PostResult, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(done(result));
      };
      const request = transport.request(
        url,
        {
          method: 'POST',
          agent: url.protocol === 'https:' ? this.httpsAgent : this.httpAgent,
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'FollowUpTracker-Webhooks/1',
            ...headers,
          },
        },
        (response) => {
          const statusCode = response.statusCode ?? null;
          const retryAfter = response.headers['retry-after'] ?? null;
          let received = 0;
          response.on('data', (chunk: Buffer) => {
            received += chunk.length;
            // The body is not needed: past the cap, stop reading and drop the connection.
            if (received > this.options.maxResponseBytes) {
              response.destroy();
              finish({
                statusCode,
                retryAfter,
                error: `response larger than ${this.options.maxResponseBytes} bytes: not read`,
                permanent: false,
              });
            }
          });
          response.on('end', () => finish({ statusCode, retryAfter, error: null, permanent: false }));
          response.on('error', (err) => finish({ statusCode, retryAfter, error: err.message, permanent: false }));
          // Cut off mid-body (the timeout): the status line already came, and that is the answer.
          response.on('close', () =>
            finish({
              statusCode,
              retryAfter,
              error: response.complete ? null : 'the response was cut off',
              permanent: false,
            }),
          );
        },
      );
      const timer = setTimeout(() => {
        request.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      request.on('error', (err) => {
        const refused = err instanceof AddressNotAllowedError;
        finish({ statusCode: null, retryAfter: null, error: err.message, permanent: refused });
      });
      request.end(body);
    });
  }
}
