// Organisation codes hold only A-Z, 0-9 and hyphens (API and admin form alike), and the CSV downloads named after them
// carry a well-formed Content-Disposition.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse as parseDisposition } from 'content-disposition';
import { TEST_PASSWORD, startApi, type RunningApi } from '../support/api-harness.js';
import { signedInPages } from '../support/page-client.js';

describe('organisation codes', () => {
  let api: RunningApi;
  const orgCount = async () => (await api.adminApi.get('/organisations?limit=500')).body.items.length;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  it.each(['AB"; x=1', 'A;B', 'CR\r\nLF', 'ÄB', 'A B', 'A/B', 'x'.repeat(41), ' '])(
    'refuses %j with a 400 naming code, and saves nothing',
    async (code) => {
      const before = await orgCount();
      const response = await api.adminApi.post('/organisations', { name: 'Bad code force', code });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.message)).toMatch(/code/);
      expect(await orgCount()).toBe(before);
    },
  );

  it('takes letters in either case, digits and hyphens, and stores them in capitals', async () => {
    const response = await api.adminApi.post('/organisations', { name: 'Good code force', code: ' west-mids-2 ' });
    expect(response.status).toBe(201);
    expect(response.body.code).toBe('WEST-MIDS-2');
  });

  it('refuses a bad code on the admin form, naming the field, and saves nothing', async () => {
    const admin = await api.createUser('admin');
    const pages = await signedInPages(api.baseUrl, admin.email, TEST_PASSWORD);
    const before = await orgCount();
    const response = await pages.submit('/admin/organisations/new', { name: 'Form force', code: 'AB";x' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('Code must only include letters A to Z, numbers and hyphens');
    expect(await orgCount()).toBe(before);
  });

  it('names CSV downloads with a Content-Disposition a parser reads back', async () => {
    const org = await api.createOrganisation({ name: 'Disposition Police', code: 'DISPO-1' });
    const lead = await api.createUser('inspector');
    const inspection = await api.createInspection(lead.token, { organisationId: org.id, leadInspectorId: lead.id });
    const pack = await fetch(`${api.baseUrl}/inspections/${inspection.id}/readiness?format=csv`, {
      headers: { authorization: `Bearer ${lead.token}` },
    });
    expect(pack.status).toBe(200);
    expect(parseDisposition(pack.headers.get('content-disposition')!)).toEqual({
      type: 'attachment',
      parameters: { filename: `readiness-DISPO-1-${inspection.id.slice(0, 8)}.csv` },
    });
    const register = await fetch(`${api.baseUrl}/register/DISPO-1.csv`);
    expect(register.status).toBe(200);
    expect(parseDisposition(register.headers.get('content-disposition')!).parameters.filename).toBe(
      'register-DISPO-1.csv',
    );
  });
});
