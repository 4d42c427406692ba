// Loads the demo dataset through the HTTP contract only (../shared/api-contract.md), as a client would:
// whatever the API validates, audits or schedules happens to the demo data too.
import { pathToFileURL } from 'node:url';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, demoDataset, type DemoFollowUp, type DemoInspection } from './demo-data.js';

/** Organisation whose presence means the demo data is already loaded. */
export const SEED_MARKER_CODE = 'MERSEYSIDE';

type Json = Record<string, any>;

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  static async login(baseUrl: string, email: string, password: string): Promise<ApiClient> {
    const { accessToken } = await new ApiClient(baseUrl).request('POST', '/auth/login', { email, password });
    return new ApiClient(baseUrl, accessToken);
  }

  async request(method: string, path: string, body?: unknown): Promise<Json> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : {};
  }
  get = (path: string) => this.request('GET', path);
  post = (path: string, body: unknown) => this.request('POST', path, body);

  /** Every item of a paged list. */
  async list(path: string): Promise<Json[]> {
    const items: Json[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: Json = await this.get(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...(Array.isArray(page) ? page : page.items));
      cursor = Array.isArray(page) ? null : (page.nextCursor ?? null);
    } while (cursor);
    return items;
  }

  /** Reads the current version first: the API or a worker may have touched the recommendation meanwhile. */
  async transition(recommendationId: string, action: string, payload: Json = {}): Promise<Json> {
    const { version } = await this.get(`/recommendations/${recommendationId}`);
    return this.post(`/recommendations/${recommendationId}/transitions`, { action, version, ...payload });
  }
}

export interface SeedResult {
  seeded: boolean;
  inspections: number;
  recommendations: number;
}

async function followUp(liaison: ApiClient, inspector: ApiClient, id: string, steps: DemoFollowUp): Promise<void> {
  const { comment, ...plan } = steps.plan;
  await liaison.transition(id, 'submit_plan', { ...plan, ...(comment ? { comment } : {}) });
  if (steps.progress) await liaison.transition(id, 'update_progress', steps.progress);
  if (steps.closure) {
    await liaison.transition(id, 'propose_closure', { evidence: steps.closure.evidence, comment: steps.closure.comment });
    if (steps.closure.authorise) {
      await inspector.transition(id, 'authorise_closure', { outcome: 'implemented', comment: steps.closure.authorise });
    }
  }
}

export async function seedDemo(
  baseUrl: string,
  adminEmail: string,
  adminPassword: string,
  opts: { now?: Date; log?: (line: string) => void } = {},
): Promise<SeedResult> {
  const log = opts.log ?? console.log;
  const data = demoDataset(opts.now);
  const admin = await ApiClient.login(baseUrl, adminEmail, adminPassword);

  const existing = await admin.list('/organisations');
  if (existing.some((o) => o.code === SEED_MARKER_CODE)) {
    log(`Demo data already loaded (organisation ${SEED_MARKER_CODE} exists): not seeding again`);
    return { seeded: false, inspections: 0, recommendations: 0 };
  }

  const orgIds = new Map<string, string>();
  for (const org of data.organisations) {
    const created = await admin.post('/organisations', { name: org.name, code: org.code });
    orgIds.set(org.code, created.id);
  }
  const userIds = new Map<string, string>();
  for (const user of data.users) {
    const created = await admin.post('/users', {
      email: user.email,
      name: user.name,
      password: DEMO_PASSWORD,
      role: user.role,
      organisationIds: user.organisations.map((code) => orgIds.get(code)!),
    });
    userIds.set(user.email, created.id);
  }
  const clients = new Map<string, ApiClient>();
  const as = async (email: string) => {
    if (!clients.has(email)) clients.set(email, await ApiClient.login(baseUrl, email, DEMO_PASSWORD));
    return clients.get(email)!;
  };

  let recommendations = 0;
  for (const inspection of data.inspections) {
    const created = await admin.post('/inspections', inspectionBody(inspection, orgIds, userIds));
    const idByReference = new Map<string, string>(created.recommendations.map((r: Json) => [r.reference, r.id]));
    for (const rec of inspection.recommendations) {
      if (rec.followUp) await followUp(await as(inspection.liaison), await as(inspection.lead), idByReference.get(rec.reference)!, rec.followUp);
    }
    recommendations += inspection.recommendations.length;
    log(`Seeded ${inspection.title}: ${inspection.recommendations.length} recommendations`);
  }
  return { seeded: true, inspections: data.inspections.length, recommendations };
}

function inspectionBody(inspection: DemoInspection, orgIds: Map<string, string>, userIds: Map<string, string>): Json {
  return {
    organisationId: orgIds.get(inspection.organisation),
    title: inspection.title,
    programme: inspection.programme,
    publishedAt: inspection.publishedAt,
    leadInspectorId: userIds.get(inspection.lead),
    recommendations: inspection.recommendations.map(({ followUp: _, ...rec }) => rec),
  };
}

// `node dist/scripts/seed-demo.js [baseUrl]`: seed a tracker that is already running.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const baseUrl = process.argv[2] ?? process.env.APP_BASE_URL ?? 'http://localhost:3000';
  seedDemo(baseUrl, process.env.ADMIN_EMAIL ?? DEMO_ADMIN_EMAIL, process.env.ADMIN_PASSWORD ?? DEMO_PASSWORD).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
