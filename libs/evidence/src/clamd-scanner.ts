// The malware scanner: clamd's INSTREAM command through the clamscan client, at CLAMAV_URL (tcp://host:port).
import type { Readable } from 'node:stream';
import NodeClam from 'clamscan';

export type ScanVerdict = { infected: false } | { infected: true; signature: string };

/** The scanner could not give an answer (not running, timed out): try again later. */
export class ScannerUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the virus scanner did not answer: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'ScannerUnavailableError';
  }
}

export interface MalwareScanner {
  scan(body: Readable): Promise<ScanVerdict>;
}

/** clamd over TCP; every scan opens its own connection, so a scanner that restarts is simply used again. */
export class ClamdScanner implements MalwareScanner {
  private client?: Promise<NodeClam>;

  constructor(
    private readonly url: string,
    private readonly timeoutMs = 60_000,
  ) {}

  private connect(): Promise<NodeClam> {
    const { hostname, port } = new URL(this.url);
    // bypassTest: no connection at start-up; localFallback off: never a local clamscan binary instead.
    this.client ??= new NodeClam().init({
      clamdscan: {
        host: hostname,
        port: Number(port || 3310),
        timeout: this.timeoutMs,
        localFallback: false,
        bypassTest: true,
        active: true,
      },
      clamscan: { active: false },
      preference: 'clamdscan',
    });
    return this.client;
  }

  async scan(body: Readable): Promise<ScanVerdict> {
    let result: { isInfected: boolean | null; viruses: string[] };
    try {
      result = await (await this.connect()).scanStream(body);
    } catch (err) {
      body.destroy();
      throw new ScannerUnavailableError(err);
    }
    if (result.isInfected === null) throw new ScannerUnavailableError(new Error('no verdict (timed out)'));
    return result.isInfected ? { infected: true, signature: result.viruses[0] ?? 'unknown' } : { infected: false };
  }
}
