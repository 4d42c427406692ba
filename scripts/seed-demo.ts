// Loads the demo dataset through the HTTP contract only (docs/contracts/api-contract.md), as a client would:
// whatever the API validates, audits or schedules happens to the demo data too.
import { pathToFileURL } from 'node:url';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, demoDataset, type DemoFollowUp, type DemoInspection } from './demo-data.js';
import { demoEvidencePdf } from './demo-evidence.js';

/** A JSON object the API answered or is sent; a caller that reads fields names their type (`get<T>`). */
type Json = Record<string, unknown>;

/** An inspection as the API answers it: the fields the seed reads. */
interface LoadedInspection {
  recommendations: { reference: string; id: string }[];
}

/** The roles the demo lets make personal API tokens (an installation's default is none). */
export const DEMO_API_TOKEN_ROLES = ['manager', 'liaison'];

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
    private readonly signal?: AbortSignal,
  ) {}

  static async login(baseUrl: string, email: string, password: string, signal?: AbortSignal): Promise<ApiClient> {
    const { accessToken } = await new ApiClient(baseUrl, undefined, signal).request<{ accessToken: string }>(
      'POST',
      '/auth/login',
      {
        email,
        password,
      },
    );
    return new ApiClient(baseUrl, accessToken, signal);
  }

  /** One JSON request; the answer's body, parsed as the `T` the caller names. */
  async request<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
    this.signal?.throwIfAborted();
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
    return (text ? JSON.parse(text) : {}) as T;
  }
  get = <T = Json>(path: string) => this.request<T>('GET', path);

  /** POST multipart/form-data with `files` in the repeated field `file` (evidence uploads). */
  async upload<T = Json>(path: string, files: { name: string; bytes: Buffer; type: string }[]): Promise<T> {
    this.signal?.throwIfAborted();
    const form = new FormData();
    for (const f of files) form.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
    const res = await fetch(new URL(path, this.baseUrl), {
      method: 'POST',
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
      body: form,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${path} -> ${res.status}: ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
  post = <T = Json>(path: string, body: unknown) => this.request<T>('POST', path, body);

  /** Every item of a paged list. */
  async list<T = Json>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: T[] | { items: T[]; nextCursor: string | null } = await this.get(
        `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
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
  /** Whether this run had anything to load (false: a complete demo was already there). */
  seeded: boolean;
  inspections: number;
  recommendations: number;
}

export interface SeedOptions {
  now?: Date;
  log?: (line: string) => void;
  /** Stops the run between two requests, as Ctrl+C would (for tests of an interrupted seed). */
  signal?: AbortSignal;
}

/** Text cut into lines of at most 80 characters, for the demo PDF. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if ((line + ' ' + word).trim().length > 80) {
      lines.push(line);
      line = word;
    } else line = (line + ' ' + word).trim();
  }
  return line ? [...lines, line] : lines;
}

/** A recommendation as GET /recommendations/{id} answers it: the fields the demo scripts read. */
export interface RecommendationAnswer {
  id: string;
  status: string;
  reference: string;
  history: { action: string }[];
}

/** An evidence file as the API lists it: the fields the demo scripts read. */
export interface EvidenceFileAnswer {
  id: string;
  name: string;
  uploadedAt: string;
  scan: string;
  downloadable: boolean;
}

/** Actions already in a recommendation's history, to know which follow-up steps a previous run took. */
const done = (detail: RecommendationAnswer, action: string): boolean => detail.history.some((h) => h.action === action);

/**
 * Takes a recommendation through its demo follow-up from wherever it stands: each step is one atomic
 * transition, so after an interrupted run the steps already taken are skipped and the rest are taken.
 */
async function followUp(liaison: ApiClient, inspector: ApiClient, id: string, steps: DemoFollowUp): Promise<boolean> {
  let changed = false;
  const step = async (client: ApiClient, action: string, payload: Json) => {
    await client.transition(id, action, payload);
    changed = true;
  };
  let detail = await liaison.get<RecommendationAnswer>(`/recommendations/${id}`);
  if (detail.status === 'issued') {
    const { comment, ...plan } = steps.plan;
    await step(liaison, 'submit_plan', { ...plan, ...(comment ? { comment } : {}) });
    detail = await liaison.get<RecommendationAnswer>(`/recommendations/${id}`);
  }
  if (steps.progress && detail.status === 'planned' && !done(detail, 'update_progress')) {
    await step(liaison, 'update_progress', steps.progress);
    detail = await liaison.get<RecommendationAnswer>(`/recommendations/${id}`);
  }
  if (steps.closure && detail.status === 'planned') {
    // Recommendations the demo closes carry their evidence pack as a PDF, uploaded once.
    let fileIds: string[] = [];
    if (steps.closure.authorise) {
      const files = await liaison.get<EvidenceFileAnswer[]>(`/recommendations/${id}/evidence/files`);
      const uploaded =
        files.length > 0
          ? files
          : await liaison.upload<EvidenceFileAnswer[]>(`/recommendations/${id}/evidence/files`, [
              {
                name: `Evidence pack, recommendation ${detail.reference}.pdf`,
                type: 'application/pdf',
                bytes: demoEvidencePdf([
                  steps.closure.evidence[0]?.title ?? 'Evidence pack',
                  `Recommendation ${detail.reference}`,
                  ...wrap(steps.closure.evidence[0]?.note ?? ''),
                ]),
              },
            ]);
      // Cited when servable now (scanning off); with a scanner the file is listed with its scan result instead.
      fileIds = uploaded.filter((f) => f.downloadable).map((f) => f.id);
    }
    const evidence = steps.closure.evidence.map((e, i) => (i === 0 && fileIds.length > 0 ? { ...e, fileIds } : e));
    await step(liaison, 'propose_closure', { evidence, comment: steps.closure.comment });
    detail = await liaison.get<RecommendationAnswer>(`/recommendations/${id}`);
  }
  if (steps.closure?.authorise && detail.status === 'closure_proposed') {
    await step(inspector, 'authorise_closure', { outcome: 'implemented', comment: steps.closure.authorise });
  }
  return changed;
}

/**
 * Loads the demo data, resumably: every organisation, user, inspection and follow-up step is looked up
 * before it is created, so a run interrupted at any point (Ctrl+C, a crash) is completed by the next one
 * rather than mistaken for a finished one. Each request is atomic on the API side.
 */
export async function seedDemo(
  baseUrl: string,
  adminEmail: string,
  adminPassword: string,
  opts: SeedOptions = {},
): Promise<SeedResult> {
  const log = opts.log ?? console.log;
  const data = demoDataset(opts.now);
  const admin = await ApiClient.login(baseUrl, adminEmail, adminPassword, opts.signal);
  let changed = false;

  const orgIds = new Map<string, string>(
    (await admin.list<{ code: string; id: string }>('/organisations')).map((o) => [o.code, o.id]),
  );
  for (const org of data.organisations.filter((o) => !orgIds.has(o.code))) {
    orgIds.set(org.code, (await admin.post<{ id: string }>('/organisations', { name: org.name, code: org.code })).id);
    changed = true;
  }
  const userIds = new Map<string, string>(
    (await admin.list<{ email: string; id: string }>('/users')).map((u) => [u.email, u.id]),
  );
  for (const user of data.users.filter((u) => !userIds.has(u.email))) {
    const created = await admin.post<{ id: string }>('/users', {
      email: user.email,
      name: user.name,
      password: DEMO_PASSWORD,
      role: user.role,
      organisationIds: user.organisations.map((code) => orgIds.get(code)!),
      ...(user.role === 'manager' && user.organisations.length === 0 ? { allOrganisations: true } : {}),
    });
    userIds.set(user.email, created.id);
    changed = true;
  }
  log(`Demo forces and people in place: ${orgIds.size} organisations, ${data.users.length} users`);
  // Personal API tokens: nobody until an administrator allows a role; the demo allows managers and force liaison
  // staff, once (a setting never changed is at version 1), so a choice made on /admin/api-tokens is kept.
  const tokenSettings = await admin.get<{ version: number; allowedRoles: string[] }>('/api-token-settings');
  if (tokenSettings.version === 1 && tokenSettings.allowedRoles.length === 0) {
    await admin.request('PUT', '/api-token-settings', { allowedRoles: DEMO_API_TOKEN_ROLES, version: 1 });
    log(`Demo API tokens allowed for: ${DEMO_API_TOKEN_ROLES.join(', ')}`);
  }
  const clients = new Map<string, ApiClient>();
  const as = async (email: string) => {
    if (!clients.has(email)) clients.set(email, await ApiClient.login(baseUrl, email, DEMO_PASSWORD, opts.signal));
    return clients.get(email)!;
  };

  let recommendations = 0;
  for (const inspection of data.inspections) {
    const organisationId = orgIds.get(inspection.organisation)!;
    const existing = (
      await admin.list<{ id: string; title: string }>(`/inspections?organisationId=${organisationId}`)
    ).find((i) => i.title === inspection.title);
    // An inspection is created with all its recommendations in one transaction: present means whole.
    const loaded = existing
      ? await admin.get<LoadedInspection>(`/inspections/${existing.id}`)
      : await admin.post<LoadedInspection>('/inspections', inspectionBody(inspection, orgIds, userIds));
    changed ||= !existing;
    const idByReference = new Map<string, string>(loaded.recommendations.map((r) => [r.reference, r.id]));
    let followedUp = false;
    for (const rec of inspection.recommendations) {
      if (rec.followUp)
        followedUp =
          (await followUp(
            await as(inspection.liaison),
            await as(inspection.lead),
            idByReference.get(rec.reference)!,
            rec.followUp,
          )) || followedUp;
    }
    changed ||= followedUp;
    recommendations += inspection.recommendations.length;
    log(
      `${existing && !followedUp ? 'Already loaded' : 'Seeded'} ${inspection.title}: ${inspection.recommendations.length} recommendations`,
    );
  }
  if (!changed) log('Demo data already loaded: nothing to add');
  return { seeded: changed, inspections: data.inspections.length, recommendations };
}

/** The demo logins that work right now (POST /auth/login answers 200): only those are worth printing. */
export async function workingLogins(
  baseUrl: string,
  logins: readonly { email: string; password: string }[],
): Promise<Set<string>> {
  const working = new Set<string>();
  for (const { email, password } of logins) {
    const response = await fetch(new URL('/auth/login', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    }).catch(() => undefined);
    if (response?.status === 200) working.add(email);
  }
  return working;
}

function inspectionBody(inspection: DemoInspection, orgIds: Map<string, string>, userIds: Map<string, string>): Json {
  return {
    organisationId: orgIds.get(inspection.organisation),
    title: inspection.title,
    programme: inspection.programme,
    publishedAt: inspection.publishedAt,
    leadInspectorId: userIds.get(inspection.lead),
    ...(inspection.draft ? { draft: true } : {}),
    recommendations: inspection.recommendations.map(({ followUp: _, ...rec }) => rec),
  };
}

// `node dist/scripts/seed-demo.js [baseUrl]`: seed a tracker that is already running.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const baseUrl = process.argv[2] ?? process.env.APP_BASE_URL ?? 'http://localhost:3000';
  seedDemo(baseUrl, process.env.ADMIN_EMAIL ?? DEMO_ADMIN_EMAIL, process.env.ADMIN_PASSWORD ?? DEMO_PASSWORD).catch(
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
