// /docs and /docs-json under API_DOCS: public, signed-in (sign-in page or 401, a session or a bearer token opens them)
// and off (404); a strict CSP on the page.
import { afterAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../config/env.schema.js';
import { TEST_PASSWORD, startApi, type RunningApi } from '../support/api-harness.js';
import { signedInPages } from '../support/page-client.js';

const started: RunningApi[] = [];
async function apiWith(env: Record<string, string>): Promise<RunningApi> {
  const api = await startApi(env);
  started.push(api);
  return api;
}

afterAll(async () => {
  await Promise.all(started.map((api) => api.close()));
});

describe('API_DOCS', () => {
  it('defaults to signed-in when NODE_ENV=production, public otherwise, and names a bad value', () => {
    expect(
      loadConfig({ NODE_ENV: 'production', AUDIT_KEY: 'a-production-audit-key-of-at-least-32-chars' }).apiDocs,
    ).toBe('signed-in');
    expect(loadConfig({ NODE_ENV: 'development' }).apiDocs).toBe('public');
    expect(
      loadConfig({
        NODE_ENV: 'production',
        AUDIT_KEY: 'a-production-audit-key-of-at-least-32-chars',
        API_DOCS: 'public',
      }).apiDocs,
    ).toBe('public');
    expect(() => loadConfig({ API_DOCS: 'everyone' })).toThrow(/API_DOCS must be public, signed-in or off/);
  });

  it('public: the page and the document for anyone; the page under a strict CSP with nothing inline', async () => {
    const api = await apiWith({ API_DOCS: 'public' });
    const page = await fetch(`${api.baseUrl}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes/);
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    // Nothing the CSP would block: no inline script, no <style>, no style attribute, no event handler.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style|\sstyle=|\son\w+=/i);
    for (const asset of [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]))
      expect((await fetch(`${api.baseUrl}${asset}`)).status).toBe(200);
    const json = await api.client(null).get('/docs-json');
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
  });

  it('signed-in: anonymous is sent to sign in (page) or refused 401 (document); a session or a bearer token opens them', async () => {
    const api = await apiWith({ API_DOCS: 'signed-in' });
    const page = await fetch(`${api.baseUrl}/docs`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/sign-in?returnTo=%2Fdocs');
    const anonymous = await api.client(null).get('/docs-json');
    expect(anonymous.status).toBe(401);
    expect(JSON.stringify(anonymous.body)).not.toMatch(/openapi|\/users/);
    expect((await api.client('not-a-token').get('/docs-json')).status).toBe(401);

    const liaison = await api.createUser('liaison', [(await api.createOrganisation()).id]);
    expect((await liaison.api.get('/docs-json')).body.openapi).toMatch(/^3\./);
    const pages = await signedInPages(api.baseUrl, liaison.email, TEST_PASSWORD);
    expect((await pages.get('/docs')).status).toBe(200);
    const viaSession = await pages.get('/docs-json');
    expect(viaSession.status).toBe(200);
    expect(JSON.parse(viaSession.text).openapi).toMatch(/^3\./);
    // A signed-out token no longer opens it.
    await liaison.api.post('/auth/logout');
    expect((await liaison.api.get('/docs-json')).status).toBe(401);
  });

  it("off: 404 for the page, the document and Swagger UI's files, whoever asks", async () => {
    const api = await apiWith({ API_DOCS: 'off' });
    expect((await fetch(`${api.baseUrl}/docs`)).status).toBe(404);
    expect((await api.adminApi.get('/docs-json')).status).toBe(404);
    expect((await fetch(`${api.baseUrl}/docs/assets/swagger-ui-bundle.js`)).status).toBe(404);
  });
});
