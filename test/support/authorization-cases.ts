// The cases and expectations of test/e2e/authorization.test.ts, generated from the routes the API declares (roles, body
// types).
import { createHmac } from 'node:crypto';
import { API_CONTROLLERS } from '../../apps/api/src/api.module.js';
import { BODY_TYPES } from '../../apps/api/src/shared/request-body/body-types.js';
import { routeTable, type RouteInfo } from '../../apps/api/src/http/route-table.js';
import type { ApiClient, ApiResponse, Role } from './api-harness.js';

export const ROLES: readonly Role[] = ['admin', 'manager', 'inspector', 'liaison'];
export const ROUTES = routeTable(API_CONTROLLERS);
export const label = (r: RouteInfo) => `${r.method} ${r.path}`;
export const PROTECTED = ROUTES.filter((r) => r.access?.kind === 'roles');
export const FORBIDDEN_CASES = PROTECTED.flatMap((route) =>
  ROLES.filter((role) => route.access?.kind === 'roles' && !route.access.roles.includes(role)).map((role) => ({
    route,
    role,
    name: `${label(route)} as ${role}`,
  })),
);
export const ALLOWED_CASES = PROTECTED.flatMap((route) =>
  ROLES.filter((role) => route.access?.kind === 'roles' && route.access.roles.includes(role)).map((role) => ({
    route,
    role,
    name: `${label(route)} as ${role}`,
  })),
);

/**
 * Mutations that need no body, with the status they answer when allowed: signing out (204, no content) and
 * making a new calendar link (201, the new link). Every other mutation's empty body is a 400.
 */
export const BODYLESS_SUCCESS: Readonly<Record<string, number>> = {
  'POST /auth/logout': 204,
  'POST /users/me/calendar-token': 201,
  // Past the access check, the person (who has a password, no pending invitation) is in the wrong state: 409.
  'POST /users/:id/invitation': 409,
  'DELETE /users/:id/invitation': 409,
  // The subscription exists and is active: turning it on again answers its view; removing one answers 204 (each
  // DELETE cell removes a subscription of its own, made just before, so the shared one stays for the next cells).
  'POST /webhooks/:id/enable': 200,
  'DELETE /webhooks/:id': 204,
  // `overlap` is optional: an empty body rotates the secret with the default overlap.
  'POST /webhooks/:id/rotate-secret': 200,
  // The delivery is real but still pending (no worker runs here): past the access check, "still being sent" is 409.
  'POST /webhooks/:id/deliveries/:deliveryId/resend': 409,
  // Each cell revokes a personal API token made for it just before (its caller's own, or liaison B's for an
  // administrator).
  'DELETE /users/me/api-tokens/:tokenId': 204,
  'DELETE /users/:id/api-tokens/:tokenId': 204,
  // beforeAll placed a hold on inspection A: releasing it answers 204.
  'DELETE /inspections/:id/legal-hold': 204,
};

/**
 * Routes declaring their own body type (`@CsvBody`, `@AcceptsBody('multipart/form-data')`) refuse any other type
 * with 415 in `BodyTypeGuard`, the first global guard, before authentication: that guard reads no byte of the body
 * (it answers from the Content-Type header and closes the connection), so "no body read before authentication"
 * holds, and an anonymous flood of unwanted bodies is cut off without being drained (docs/web.md, "Request bodies
 * and uploads"; test/security/http-edge.test.ts). We keep that order on purpose. So the matrix sends each such route a
 * small body of its own type, which reaches the access guard (401/403 before the interceptor reads it), and checks
 * separately that a JSON body is refused 415 whoever asks. A new type needs a sample here, or the matrix fails.
 */
const BOUNDARY = 'authz-boundary';
export const SAMPLE_BODIES: Readonly<Record<string, { contentType: string; body: string }>> = {
  // A header line only: no query fields and no rows, a 400 once read.
  'text/csv': { contentType: 'text/csv', body: 'reference,text\r\n' },
  // A well-formed multipart body with no part at all, so no file: a 400 ("a file is needed") once read.
  'multipart/form-data': { contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: `--${BOUNDARY}--\r\n` },
};
/** The body types a route declares, or undefined for the default (JSON and urlencoded forms). */
export function declaredTypes(route: RouteInfo): readonly string[] | undefined {
  const controller = API_CONTROLLERS.find((c) => c.name === route.controller)!;
  return Reflect.getMetadata(BODY_TYPES, (controller.prototype as unknown as Record<string, object>)[route.handler]) as
    readonly string[] | undefined;
}
function sampleBodyFor(route: RouteInfo): { contentType: string; body: string } {
  const type = declaredTypes(route)!.find((t) => t in SAMPLE_BODIES);
  if (!type)
    throw new Error(`${label(route)} takes ${declaredTypes(route)!.join(', ')}: add a sample body to SAMPLE_BODIES`);
  return SAMPLE_BODIES[type];
}
export const OWN_BODY_ROUTES = ROUTES.filter((r) => declaredTypes(r) !== undefined);

/** The request a matrix cell sends: GETs no body, routes with their own body type a sample of it, the rest `{}`. */
export function send(client: ApiClient, route: RouteInfo, path: string): Promise<ApiResponse> {
  if (route.method === 'GET') return client.request(route.method, path);
  if (declaredTypes(route) === undefined) return client.request(route.method, path, {});
  const { contentType, body } = sampleBodyFor(route);
  return client.raw(route.method, path, body, contentType);
}

/**
 * Allowed cells whose answer past the access check depends on the role, with why. A 403 here comes from the
 * domain rule (its own message), not from the role check (whose message is the route's roles).
 */
export const SPECIAL_ANSWERS: Readonly<
  Record<string, (role: Role) => { status: number; message?: string } | undefined>
> = {
  // Any role reaches it (the files list is for all); only a liaison may add a file, refused before a byte is read.
  // A liaison's cell takes the default: the sample multipart body has no file, a 400.
  'POST /recommendations/:id/evidence/files': (role) =>
    role === 'liaison'
      ? undefined
      : { status: 403, message: "only the force's liaison officers may add evidence files" },
  // Any role may reach it; only its uploader may withdraw a file (a fresh one of liaison A's per cell): 200 for them.
  'POST /evidence/files/:id/withdraw': (role) =>
    role === 'liaison'
      ? { status: 200 }
      : { status: 403, message: 'only the person who uploaded a file may withdraw it' },
};

/** A well-formed HS256 token for a real-looking subject, signed with the wrong key. */
export function forgedToken(sub: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, role: 'admin', iat: Math.floor(Date.now() / 1000) })}`;
  return `${body}.${createHmac('sha256', 'not-the-server-secret-not-the-server-secret').update(body).digest('base64url')}`;
}
