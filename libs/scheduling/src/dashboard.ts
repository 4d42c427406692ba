import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';

/** Bull Board for these queues, as an express router to mount at `basePath` (behind administrator auth). */
export function createQueueDashboard(queues: readonly Queue[], basePath: string): Router {
  const serverAdapter = new ExpressAdapter().setBasePath(basePath);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  return serverAdapter.getRouter() as Router;
}
