// The fan-out benchmark's SMTP sink: a loopback server in a worker thread that keeps each message's Message-ID, arrival
// time and size.
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Worker as Thread, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { SMTPServerDataStream } from 'smtp-server';
import { MessageHead, startLoopbackSmtp } from './loopback-smtp.js';

export interface Arrival {
  messageId: string;
  at: number;
  bytes: number;
}

type SinkCommand = { cmd: 'expect'; count: number } | { cmd: 'collect' } | { cmd: 'close' };
type SinkEvent =
  | { type: 'listening'; port: number }
  | { type: 'reached' }
  | { type: 'arrivals'; arrivals: Arrival[] }
  | { type: 'closed' };

const ROLE = 'fanout-smtp-sink';

/** Runs inside the worker thread: accepts everything, keeps (Message-ID, arrival time, size) per message. */
async function runSink(): Promise<void> {
  const port = parentPort!;
  let arrivals: Arrival[] = [];
  let expected = Infinity;
  const smtp = await startLoopbackSmtp({
    maxClients: 1000,
    onData(stream: SMTPServerDataStream, _session, callback) {
      const head = new MessageHead();
      stream.on('data', (chunk: Buffer) => head.add(chunk));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        const at = performance.timeOrigin + performance.now();
        arrivals.push({ messageId: head.messageId(), at, bytes: head.bytes });
        if (arrivals.length === expected) port.postMessage({ type: 'reached' } satisfies SinkEvent);
        callback(null, 'Message accepted');
      });
    },
  });
  port.postMessage({ type: 'listening', port: smtp.port } satisfies SinkEvent);
  port.on('message', (msg: SinkCommand) => {
    if (msg.cmd === 'expect') {
      arrivals = [];
      expected = msg.count;
    } else if (msg.cmd === 'collect') {
      port.postMessage({ type: 'arrivals', arrivals } satisfies SinkEvent);
    } else if (msg.cmd === 'close') {
      void smtp.close().then(() => port.postMessage({ type: 'closed' } satisfies SinkEvent));
    }
  });
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) void runSink();

/**
 * The sink, seen from the benchmark: the SMTP server runs in its own thread, so accepting mail does not share an event
 * loop with the sender measured.
 */
export class Sink {
  private constructor(
    private readonly thread: Thread,
    readonly url: string,
  ) {}

  static async start(): Promise<Sink> {
    const thread = new Thread(new URL(import.meta.url), { workerData: { role: ROLE } });
    const [event] = (await once(thread, 'message')) as [SinkEvent];
    if (event.type !== 'listening') throw new Error('SMTP sink did not start');
    return new Sink(thread, `smtp://127.0.0.1:${event.port}`);
  }

  /** Forgets what arrived so far; `reached` resolves when `count` messages have arrived (or at the deadline). */
  expect(count: number, timeoutMs: number): { reached: Promise<boolean> } {
    this.thread.postMessage({ cmd: 'expect', count } satisfies SinkCommand);
    const reached = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.thread.off('message', onMessage);
        resolve(false);
      }, timeoutMs);
      const onMessage = (e: SinkEvent) => {
        if (e.type !== 'reached') return;
        clearTimeout(timer);
        this.thread.off('message', onMessage);
        resolve(true);
      };
      this.thread.on('message', onMessage);
    });
    return { reached };
  }

  async collect(): Promise<Arrival[]> {
    const got = this.next('arrivals');
    this.thread.postMessage({ cmd: 'collect' } satisfies SinkCommand);
    return ((await got) as Extract<SinkEvent, { type: 'arrivals' }>).arrivals;
  }

  async close(): Promise<void> {
    const closed = this.next('closed');
    this.thread.postMessage({ cmd: 'close' } satisfies SinkCommand);
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
    await this.thread.terminate();
  }

  private next(type: SinkEvent['type']): Promise<SinkEvent> {
    return new Promise((resolve) => {
      const onMessage = (e: SinkEvent) => {
        if (e.type !== type) return;
        this.thread.off('message', onMessage);
        resolve(e);
      };
      this.thread.on('message', onMessage);
    });
  }
}
