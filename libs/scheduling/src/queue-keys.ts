// Deleting one prefix's BullMQ keys from Redis, as a Redis that lost its data would have none (tests and benchmarks).
import type { Redis } from 'ioredis';

/** Deletes every BullMQ key under `prefix` (and nothing else), as a Redis that lost its data would have none. */
export async function deleteQueueKeys(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
