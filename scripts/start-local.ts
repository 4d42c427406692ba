// `npm start`: the tracker for a person trying it out. Finds or starts PostgreSQL, Redis and a mail
// catcher, runs the API and the worker exactly as production does (separate processes configured by the
// environment), loads the demo data over HTTP and prints where everything is.
//
// The API listens on a private port until the demo data is loaded; only then does PORT open (a relay to
// it), so that nothing watching PORT, /health included, sees a tracker that is not ready yet.
// The relay speaks HTTP and sets X-Forwarded-For itself (scripts/http-relay.ts): the API trusts it.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { requireSupportedNode } from '#runtime';
import type { LocalService, MailCatcher } from './local-services.js';
import { singleSignOnBanner } from './demo-oidc-settings.js';

// Node.js first, before anything else is loaded (an older one crashes loading the app): one line, then exit.
requireSupportedNode();
const { SECOND_MS, WEBHOOK_EVENTS } = await import('#domain');
const { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, demoDataset } = await import('./demo-data.js');
const { startDemoReceiver, subscribeDemoReceiver } = await import('./demo-receiver.js');
const { openRelay } = await import('./http-relay.js');
const { ensurePostgres, ensureRedis, freePort, repoRoot, startMailCatcher } = await import('./local-services.js');
const { seedDemo, workingLogins } = await import('./seed-demo.js');
const { ensureClamd } = await import('./local-clamd.js');
const { DEMO_INVITED_EMAIL, demoInvitation } = await import('./demo-invitation.js');

const HEALTH_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

interface Child {
  name: string;
  process: ChildProcess;
  lastLines: string[];
}

const services: LocalService[] = [];
const children: Child[] = [];
let stopping = false;
const say = (line: string) => console.log(`[start] ${line}`);

function startChild(name: string, entry: URL, env: NodeJS.ProcessEnv): Child {
  const file = fileURLToPath(entry);
  if (!existsSync(file)) throw new Error(`${path.relative(repoRoot(), file)} is missing: run \`npm run build\` first`);
  const child: Child = {
    name,
    process: spawn(process.execPath, [file], { env, stdio: ['ignore', 'pipe', 'pipe'] }),
    lastLines: [],
  };
  const prefix = `[${name}]`.padEnd(9);
  for (const stream of [child.process.stdout!, child.process.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      console.log(`${prefix}${line}`);
      child.lastLines.push(line);
      if (child.lastLines.length > 30) child.lastLines.shift();
    });
  }
  child.process.on('exit', (code, signal) => {
    // Ctrl+C reaches the whole process group: give our own SIGINT handler the chance to run first,
    // so that a child stopping for that reason is not reported as a crash.
    setTimeout(() => {
      if (stopping) return;
      console.error(`[start] ${name} exited unexpectedly (${signal ?? `code ${code}`}); its last lines:`);
      for (const line of child.lastLines) console.error(`  ${line}`);
      void shutdown(1);
    }, 300);
  });
  children.push(child);
  return child;
}

function stopChild({ process: p }: Child): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => p.kill('SIGKILL'), STOP_GRACE_MS);
    p.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    p.kill('SIGTERM');
  });
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping...');
  // The API and worker first, so they do not log errors about a database that is already gone.
  await Promise.all(children.map(stopChild));
  for (const service of services.reverse()) {
    await service.stop().catch((err: Error) => console.error(`[start] ${err.message}`));
  }
  process.exit(code);
}

async function waitForHealth(baseUrl: string): Promise<boolean> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline && !stopping) {
    const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    if (res?.status === 200) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

function banner(
  baseUrl: string,
  mail: MailCatcher,
  env: NodeJS.ProcessEnv,
  seeded: string,
  working: ReadonlySet<string>,
  webhooks: string,
  invitation: string,
): void {
  const adminPassword = env.ADMIN_PASSWORD === DEMO_PASSWORD ? '' : '   (password from ADMIN_PASSWORD)';
  const candidates = [
    { email: env.ADMIN_EMAIL!, line: `    ${env.ADMIN_EMAIL!.padEnd(38)} admin${adminPassword}` },
    ...demoDataset().users.map((u) => ({ email: u.email, line: `    ${u.email.padEnd(38)} ${u.note}` })),
  ];
  // Only logins that were just tried and work: a login printed here must let the reader in.
  const logins = candidates.filter((c) => working.has(c.email)).map((c) => c.line);
  const missing = candidates.length - logins.length;
  if (missing > 0)
    logins.push(
      `    (${missing} demo login${missing === 1 ? '' : 's'} not working: run npm start again to finish loading the demo)`,
    );
  const mailLine = mail.dir
    ? `caught locally, saved to ${path.relative(process.cwd(), mail.dir) || mail.dir}/*.eml (${mail.url})`
    : `sent to ${mail.url}`;
  const rule = '='.repeat(96);
  console.log(
    [
      '',
      rule,
      '  Follow-up Tracker is running with DEMO DATA (paraphrased from published HMICFRS findings)',
      '',
      `  Web             ${baseUrl}/   <- open this in a browser and sign in with a demo login below`,
      `  API             ${baseUrl}   (JSON, Bearer token from POST /auth/login)`,
      `  OpenAPI docs    ${baseUrl}/docs`,
      `  Queues          ${baseUrl}/admin/queues`,
      `  Mail            ${mailLine}`,
      `  Webhooks        ${webhooks}   (every event, signed, as a force's system sees it)`,
      `  Database        ${env.DATABASE_URL}`,
      `  Redis           ${env.REDIS_URL}`,
      `  Demo data       ${seeded}`,
      '',
      `  Demo logins, for the web page and the API (password for all: ${DEMO_PASSWORD})`,
      ...logins,
      '',
      `  Demo invitation ${invitation}`,
      `                  (${DEMO_INVITED_EMAIL} chooses a password there; a new link on every start)`,
      env.MFA_REQUIRED_ROLES === 'none'
        ? '  Two-factor      off in this demo: MFA_REQUIRED_ROLES=admin,inspector npm start walks those logins through set-up'
        : `  Two-factor      required for ${env.MFA_REQUIRED_ROLES}: an authenticator app is set up at the first sign-in`,
      ...singleSignOnBanner(env, baseUrl),
      '  API tokens      managers and liaison staff make personal tokens (fut_…) at /account/api-tokens; in a new',
      '                  installation nobody may until an administrator allows a role at /admin/api-tokens',
      '',
      `  Try:  curl -s ${baseUrl}/auth/login -H 'content-type: application/json' \\`,
      `          -d '{"email":"manager@demo.followup","password":"${DEMO_PASSWORD}"}'`,
      '  Press Ctrl+C to stop everything that was started here.',
      rule,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(0));

  const log = (line: string) => say(line);
  const pg = await ensurePostgres({ log });
  services.push(pg);
  const redis = await ensureRedis({ log });
  services.push(redis);
  const mail = await startMailCatcher({ log: (line) => console.log(`[mail]   ${line}`) });
  services.push(mail);
  const scanner = await ensureClamd({ log });
  services.push(scanner);
  const receiver = await startDemoReceiver();
  services.push({ url: receiver.url, stop: receiver.close });

  const port = process.env.PORT || '3000';
  const baseUrl = `http://localhost:${port}`;
  const apiPort = await freePort();
  const privateUrl = `http://127.0.0.1:${apiPort}`;
  // `||`, not `??`: an empty variable counts as unset, as the tracker's own configuration treats it.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    SMTP_URL: mail.url,
    MAIL_FROM: process.env.MAIL_FROM || 'followup@demo.followup',
    APP_BASE_URL: process.env.APP_BASE_URL || baseUrl,
    PORT: String(apiPort),
    ADMIN_EMAIL: process.env.ADMIN_EMAIL || DEMO_ADMIN_EMAIL,
    ADMIN_PASSWORD: process.env.ADMIN_PASSWORD || DEMO_PASSWORD,
    // Demo mail should show up now, not at 08:00 on the next working day.
    SEND_WINDOW: process.env.SEND_WINDOW || 'always',
    // Tokens need not outlive this run.
    JWT_SECRET: process.env.JWT_SECRET || randomBytes(32).toString('hex'),
    // Demo logins sign in with a password alone; MFA_REQUIRED_ROLES=admin,inspector npm start walks them through
    // two-factor set-up.
    MFA_REQUIRED_ROLES: process.env.MFA_REQUIRED_ROLES || 'none',
    // A log line per request would bury the banner; LOG_LEVEL=info npm start shows them.
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    // Evidence files in .local/evidence (the default); scanned by the private clamd, or unscanned on purpose without
    // one.
    ...scanner.env,
    // The demo's webhook receiver listens on 127.0.0.1.
    WEBHOOK_ALLOW_PRIVATE: process.env.WEBHOOK_ALLOW_PRIVATE || 'true',
  };

  startChild('api', new URL('../apps/api/main.js', import.meta.url), env);
  startChild('worker', new URL('../apps/worker/main.js', import.meta.url), env);

  say(`waiting for the API (${privateUrl}/health) ...`);
  if (!(await waitForHealth(privateUrl))) {
    if (stopping) return;
    console.error(
      `[start] ${privateUrl}/health did not answer 200 within ${HEALTH_TIMEOUT_MS / SECOND_MS} s; last lines:`,
    );
    for (const child of children) for (const line of child.lastLines) console.error(`  [${child.name}] ${line}`);
    return shutdown(1);
  }

  let seeded: string;
  try {
    const result = await seedDemo(privateUrl, env.ADMIN_EMAIL!, env.ADMIN_PASSWORD!, { log });
    seeded = result.seeded
      ? `loaded: ${result.inspections} inspections, ${result.recommendations} recommendations`
      : 'already loaded (to start again, drop the database or delete the private data folder)';
  } catch (err) {
    // Keep running: what was seeded, and the API itself, are still worth looking at; the next start finishes the rest.
    seeded = `INCOMPLETE (the next npm start finishes it): ${(err as Error).message}`;
    console.error(`[start] seeding the demo data failed: ${(err as Error).message}`);
  }
  if (stopping) return;
  const working = await workingLogins(privateUrl, [
    { email: env.ADMIN_EMAIL!, password: env.ADMIN_PASSWORD! },
    ...demoDataset().users.map((u) => ({ email: u.email, password: DEMO_PASSWORD })),
  ]);
  let webhooks = `watch deliveries arrive at ${receiver.url}`;
  try {
    await subscribeDemoReceiver(privateUrl, env.ADMIN_EMAIL!, env.ADMIN_PASSWORD!, receiver, WEBHOOK_EVENTS);
  } catch (err) {
    webhooks = `not subscribed: ${(err as Error).message}`;
  }
  try {
    await openRelay(Number(port), apiPort);
  } catch (err) {
    console.error(`[start] could not open port ${port}: ${(err as Error).message}`);
    return shutdown(1);
  }
  const invitation = await demoInvitation(privateUrl, env.ADMIN_EMAIL!, env.ADMIN_PASSWORD!, mail.dir);
  if (!stopping) banner(baseUrl, mail, env, seeded, working, webhooks, invitation);
}

main().catch((err: Error) => {
  console.error(`[start] ${err.message}`);
  void shutdown(1);
});
