// 10,000 webhook deliveries through the ledger, BullMQ and the worker to a loopback receiver, against raw fetch of the
// same payloads in the same run; exactly once by webhook-id.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WebhookPlanner, WebhooksService } from '#application';
import { Role, WebhookEvent, type WebhookEventInput } from '#domain';
import { deleteQueueKeys } from '#scheduling';
import { benchDatabase, inParallel, REDIS_URL, seconds } from './support.js';

const DELIVERIES = Number(process.env.BENCH_WEBHOOKS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 50);

/** A receiver that answers 204 at once and counts requests and distinct webhook-ids. */
async function receiver() {
  const ids = new Set<string>();
  let requests = 0;
  let onCount: (() => void) | null = null;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      ids.add(String(req.headers['webhook-id']));
      res.writeHead(204).end();
      onCount?.();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stats: () => ({ requests, unique: ids.size }),
    reset: () => {
      ids.clear();
      requests = 0;
    },
    until: (n: number) =>
      new Promise<void>((resolve) => {
        onCount = () => ids.size >= n && resolve();
        onCount();
      }),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function main(): Promise<void> {
  const db = await benchDatabase(4);
  const prefix = `bench-webhooks-${randomBytes(3).toString('hex')}`;
  const sink = await receiver();
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    DB_POOL_SIZE: '20',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_CONCURRENCY: String(CONCURRENCY),
    RECONCILE_EVERY: 'PT1H',
    SMTP_URL: 'smtp://127.0.0.1:1',
    LOG_LEVEL: 'warn',
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let app: INestApplicationContext;
  try {
    const { WorkerModule } = await import('../apps/worker/src/worker.module.js');
    app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'], abortOnError: false });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  try {
    // An administrator owns the subscription.
    const [{ id: adminId }] = await db.ds.query<{ id: string }[]>(
      `INSERT INTO users (email, name, password_hash, role) VALUES ('bench@x.test', 'Bench', 'x', 'admin') RETURNING id`,
    );
    const actor = { id: adminId, role: Role.Admin, organisationIds: [] };
    const { secret } = await app
      .get(WebhooksService)
      .create(actor, { url: `${sink.url}/hook`, events: [WebhookEvent.InspectionPublished] });
    const events: WebhookEventInput[] = Array.from({ length: DELIVERIES }, (_, i) => ({
      type: WebhookEvent.InspectionPublished,
      organisationId: null,
      key: `bench:${i}`,
      summary: `Inspection ${i} was published with 12 recommendations`,
      link: `https://tracker.example/inspections/${i}`,
      data: { inspectionId: `inspection-${i}`, title: `Inspection ${i}` },
    }));

    // 1. The tracker: planned in one transaction, then jobs, the worker, signing, the ledger's records.
    const started = process.hrtime.bigint();
    await app.get(WebhookPlanner).planAndSchedule(events, new Date());
    await sink.until(DELIVERIES);
    const tracked = seconds(started);
    const once = sink.stats();
    // Let anything in flight land: a duplicate would show up here.
    await new Promise((r) => setTimeout(r, 2000));
    const settled = sink.stats();
    const [{ n: delivered }] = await db.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered'`,
    );

    // 2. Raw fetch of the same bodies, same receiver, same concurrency, signed with the same library.
    sink.reset();
    const { Webhook } = await import('standardwebhooks');
    const signer = new Webhook(secret);
    const bodies = events.map((e, i) => ({
      id: `raw-${i}`,
      body: JSON.stringify({ type: e.type, timestamp: new Date().toISOString(), data: e.data }),
    }));
    const rawStarted = process.hrtime.bigint();
    await inParallel(bodies, CONCURRENCY, async ({ id, body }) => {
      const at = new Date();
      const response = await fetch(`${sink.url}/raw`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signer.sign(id, at, body),
        },
        body,
      });
      await response.arrayBuffer();
    });
    const raw = seconds(rawStarted);

    const result = {
      deliveries: DELIVERIES,
      concurrency: CONCURRENCY,
      trackerSeconds: Number(tracked.toFixed(2)),
      trackerPerSecond: Math.round(DELIVERIES / tracked),
      rawFetchSeconds: Number(raw.toFixed(2)),
      rawFetchPerSecond: Math.round(DELIVERIES / raw),
      ratio: Number((raw / tracked).toFixed(3)),
      exactlyOnce: once.unique === DELIVERIES && settled.requests === DELIVERIES && delivered === DELIVERIES,
      requestsReceived: settled.requests,
      uniqueIds: settled.unique,
      ledgerDelivered: delivered,
    };
    console.log(JSON.stringify(result));
  } finally {
    await app.close();
    await sink.close();
    const redis = new (await import('ioredis')).Redis(REDIS_URL);
    await deleteQueueKeys(redis, prefix);
    redis.disconnect();
    await db.drop();
  }
}

await main();
