// The webhook sender's coalescer (many callers, one statement) and its semaphore (requests in flight).
import { describe, expect, it } from '@jest/globals';
import { Coalescer, Semaphore } from './batching.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('Coalescer', () => {
  it('runs what was submitted together as one batch and gives each caller its own answer', async () => {
    const batches: number[][] = [];
    const c = new Coalescer<number, number>(async (items) => {
      batches.push(items);
      return items.map((i) => i * 10);
    }, 100);
    await expect(Promise.all([1, 2, 3].map((i) => c.submit(i)))).resolves.toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('keeps batches within the maximum and runs at most `parallel` at once, gathering the rest meanwhile', async () => {
    const batches: number[][] = [];
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const c = new Coalescer<number, number>(
      async (items) => {
        batches.push(items);
        most = Math.max(most, ++running);
        await new Promise<void>((r) => release.push(r));
        running -= 1;
        return items;
      },
      2,
      1,
    );
    const first = [1, 2, 3].map((i) => c.submit(i));
    await tick();
    // While [1, 2] runs, 3 waits, and 4 and 5 join it.
    const later = [4, 5].map((i) => c.submit(i));
    await tick();
    expect(batches).toEqual([[1, 2]]);
    while (batches.length < 3 || release.length > 0) {
      release.shift()?.();
      await tick();
    }
    await expect(Promise.all([...first, ...later])).resolves.toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    expect(most).toBe(1);
  });

  it('rejects the callers of a batch that failed, and only them', async () => {
    let calls = 0;
    const c = new Coalescer<string, string>(async (items) => {
      calls += 1;
      if (calls === 1) throw new Error('database away');
      return items;
    }, 10);
    const failed = [c.submit('a'), c.submit('b')];
    await expect(Promise.allSettled(failed)).resolves.toEqual([
      { status: 'rejected', reason: new Error('database away') },
      { status: 'rejected', reason: new Error('database away') },
    ]);
    await expect(c.submit('c')).resolves.toBe('c');
  });
});

describe('Semaphore', () => {
  it('lets at most its permits run at once, first come first served, and frees a permit when work throws', async () => {
    const s = new Semaphore(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const work = (i: number) =>
      s.with(async () => {
        most = Math.max(most, ++running);
        order.push(i);
        await tick();
        running -= 1;
        if (i === 0) throw new Error('failed');
        return i;
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map(work));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });
});
