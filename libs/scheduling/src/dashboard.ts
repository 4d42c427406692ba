// The queue dashboard (Bull Board) as an express router, read-only unless actions are allowed.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';

/**
 * Bull Board for these queues, as an express router to mount at `basePath` (behind administrator auth).
 * Read-only (no retry, promote, clean or pause) unless `allowActions`.
 */
export function createQueueDashboard(queues: readonly Queue[], basePath: string, allowActions = false): Router {
  const serverAdapter = new ExpressAdapter().setBasePath(basePath);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: !allowActions })), serverAdapter });
  return serverAdapter.getRouter() as Router;
}
