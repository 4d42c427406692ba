// The tests' Redis: its URL, and removing what BullMQ left under a test's queue prefix.
import { Redis } from 'ioredis';
import { deleteQueueKeys } from '../../libs/scheduling/src/index.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** Removes whatever BullMQ left in Redis under a test's queue prefix (best effort: cleaning up never fails a test). */
export async function dropQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    await deleteQueueKeys(redis, prefix);
  } catch {
    // best effort: a test must not fail on cleaning up
  } finally {
    redis.disconnect();
  }
}
