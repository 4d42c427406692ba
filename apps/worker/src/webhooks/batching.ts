// Two small tools for the webhook sender: a coalescer that turns many callers' one-row requests into one statement, and
// a semaphore.
import { outsideAnyTrace } from '#observability';

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers the items submitted while the event loop turns (and while earlier batches are still running) and
 * runs them as one batch: `run` gets the items and returns one answer per item, in order. At most `parallel`
 * batches run at once; a batch that throws rejects every caller in it, and no other.
 */
export class Coalescer<I, O> {
  private queue: Waiting<I, O>[] = [];
  private running = 0;
  private flushSoon = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxBatch: number,
    private readonly parallel = 2,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.flushSoon) return;
      this.flushSoon = true;
      // A batch belongs to no caller's trace: it starts from the root context, not the first caller's.
      outsideAnyTrace(() => setImmediate(() => this.flush()));
    });
  }

  private flush(): void {
    this.flushSoon = false;
    while (this.running < this.parallel && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.running += 1;
      this.run(batch.map((w) => w.item))
        .then(
          (answers) => batch.forEach((w, i) => w.resolve(answers[i])),
          (err) => batch.forEach((w) => w.reject(err)),
        )
        .finally(() => {
          this.running -= 1;
          this.flush();
        });
    }
  }
}

/** Permits handed out first come, first served. */
export class Semaphore {
  private readonly waiting: (() => void)[] = [];

  constructor(private available: number) {}

  async with<T>(work: () => Promise<T>): Promise<T> {
    if (this.available > 0) this.available -= 1;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.available += 1;
    }
  }
}
