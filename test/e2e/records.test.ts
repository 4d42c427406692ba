// Oversight and records over HTTP: areas, CSV import and export, lineage, calendar feed, public register, readiness
// pack.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import {
  TEST_PASSWORD,
  startApi,
  type RunningApi,
  type TestUser,
  type InspectionDetail,
  type Organisation,
  type Schema,
  type Recommendation,
} from '../support/api-harness.js';
import { signedInPages } from '../support/page-client.js';

describe('oversight and records over HTTP', () => {
  let api: RunningApi,
    org: Organisation,
    otherOrg: Organisation,
    lead: TestUser,
    _otherInspector: TestUser,
    liaison: TestUser,
    otherLiaison: TestUser;

  beforeAll(async () => {
    api = await startApi();
    org = await api.createOrganisation({ name: 'Merseyside Police', code: 'MERSEYSIDE' });
    otherOrg = await api.createOrganisation({ name: 'Northamptonshire Police', code: 'NORTHANTS' });
    lead = await api.createUser('inspector');
    _otherInspector = await api.createUser('inspector');
    liaison = await api.createUser('liaison', [org.id]);
    otherLiaison = await api.createUser('liaison', [otherOrg.id]);
  });

  afterAll(async () => {
    await api?.close();
  });

  const importPath = (fields: Record<string, string>) =>
    `/inspections/import?${new URLSearchParams(fields).toString()}`;
  const fieldsFor = (title: string) => ({
    organisationId: org.id,
    title,
    programme: 'NCPI',
    publishedAt: '2018-08-30T00:00:00Z',
    leadInspectorId: lead.id,
  });
  async function postCsv(user: TestUser | { token: string }, path: string, csv: string | Buffer, type = 'text/csv') {
    const { status, body } = await api.client(user.token).raw('POST', path, csv, type);
    return { status, body };
  }
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${api.baseUrl}${path}`, { headers });
  const inspectionCount = async () =>
    (await api.adminApi.get(`/inspections?organisationId=${org.id}&limit=500`)).body.items.length;

  describe('area', () => {
    it('is optional on POST /inspections, shown on every view and a filter of the list', async () => {
      const inspection = await api.createInspection(lead.token, {
        organisationId: org.id,
        leadInspectorId: lead.id,
        recommendations: [{ reference: '1', area: 'Custody' }, { reference: '2' }],
      });
      expect(inspection.recommendations.map((r) => [r.reference, r.area])).toEqual([
        ['1', 'Custody'],
        ['2', null],
      ]);
      const custody = await api.adminApi.get(`/recommendations?inspectionId=${inspection.id}&area=Custody`);
      expect(custody.body.items.map((r: Recommendation) => r.reference)).toEqual(['1']);
      const none = await api.adminApi.get(`/recommendations?inspectionId=${inspection.id}&area=`);
      expect(none.body.items.map((r: Recommendation) => r.reference)).toEqual(['2']);
      expect((await api.adminApi.get(`/recommendations/${inspection.recommendations[0].id}`)).body.area).toBe(
        'Custody',
      );
      const tooLong = await lead.api.post('/inspections', {
        ...fieldsFor('x'),
        recommendations: [{ reference: '1', text: 't', area: 'x'.repeat(201) }],
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.message).toEqual(['recommendations.0.area must be shorter than or equal to 200 characters']);
    });
  });

  describe('CSV import', () => {
    const bad =
      'reference,text,due date,priority,area\n1,Visit every registered sex offender,28/02/2019,yes,Managing offenders\n2,"Review custody,\nincluding children",2019-03-31,no,Custody\n3,Flag addresses,31/02/2019,maybe,\n';

    it('refuses a file with bad rows, naming each row and column as a spreadsheet numbers them, and saves nothing', async () => {
      const before = await inspectionCount();
      const response = await postCsv(lead, importPath(fieldsFor('Bad file')), bad);
      expect(response.status).toBe(400);
      expect(response.body.message).toEqual([
        'Row 4: due date "31/02/2019" is not a date',
        'Row 4: priority "maybe" is not yes or no',
      ]);
      expect(await inspectionCount()).toBe(before);
    });

    it('imports the fixed file (with a byte-order mark) in one go, with the same answer as POST /inspections', async () => {
      const fixed = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(bad.replace('31/02/2019,maybe', '28/02/2019,no')),
      ]);
      const response = await postCsv(lead, importPath(fieldsFor('NCPI Merseyside')), fixed);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        organisationId: org.id,
        title: 'NCPI Merseyside',
        programme: 'NCPI',
        leadInspectorId: lead.id,
        version: 1,
      });
      expect(
        response.body.recommendations.map((r: Recommendation) => [r.reference, r.text, r.dueAt, r.priority, r.area]),
      ).toEqual([
        ['1', 'Visit every registered sex offender', '2019-02-28T00:00:00.000Z', true, 'Managing offenders'],
        ['2', 'Review custody,\nincluding children', '2019-03-31T00:00:00.000Z', false, 'Custody'],
        ['3', 'Flag addresses', '2019-02-28T00:00:00.000Z', false, null],
      ]);
      const history = await api.adminApi.get(`/recommendations/${response.body.recommendations[0].id}`);
      expect(history.body.history.map((h: Schema<'HistoryEntryResponse'>) => h.action)).toEqual([
        'recommendation.issued',
      ]);
    });

    it('answers as POST /inspections does: roles, unknown organisation, bad fields, the wrong body type', async () => {
      const csv = 'reference,text\n1,One\n';
      expect((await postCsv(liaison, importPath(fieldsFor('x')), csv)).status).toBe(403);
      const unknownOrg = await postCsv(
        lead,
        importPath({ ...fieldsFor('x'), organisationId: '00000000-0000-4000-8000-000000000000' }),
        csv,
      );
      expect(unknownOrg).toEqual({
        status: 400,
        body: expect.objectContaining({ message: ['organisationId does not name an organisation'] }),
      });
      const badFields = await postCsv(lead, importPath({ ...fieldsFor('x'), publishedAt: 'soon', colour: 'red' }), csv);
      expect(badFields.status).toBe(400);
      expect(badFields.body.message).toEqual(
        expect.arrayContaining(['property colour should not exist', 'publishedAt must be an ISO 8601 date-time']),
      );
      const json = await postCsv(lead, importPath(fieldsFor('x')), '{"a":1}', 'application/json');
      // Another media type is refused before the body is read.
      expect(json.status).toBe(415);
      expect(json.body.message).toBe('this route takes text/csv, not application/json');
    });

    it('imports 500 rows (the most POST /inspections takes) in one transaction', async () => {
      const lines = ['reference,text,timeframe,area'];
      for (let i = 1; i <= 500; i++)
        lines.push(`R${i},"Recommendation ${i}, in full",${i % 3 === 0 ? 'immediately' : '6 months'},Area ${i % 8}`);
      const started = Date.now();
      const response = await postCsv(lead, importPath(fieldsFor('Five hundred')), lines.join('\n'));
      const took = Date.now() - started;
      expect(response.status).toBe(201);
      expect(response.body.recommendations).toHaveLength(500);
      expect(response.body.recommendations.filter((r: Recommendation) => r.priority)).toHaveLength(166);
      console.info(`imported 500 rows in ${took} ms`);
      // An import is a draft: published in one transaction too, after which the force sees all 500 (the export below
      // reads them).
      expect(response.body.draft).toBe(true);
      const publishing = Date.now();
      const published = await lead.api.post(`/inspections/${response.body.id}/publish`, {
        version: response.body.version,
      });
      expect([published.status, published.body.draft, published.body.recommendations.length]).toEqual([
        200,
        false,
        500,
      ]);
      console.info(`published 500 recommendations in ${Date.now() - publishing} ms`);
    });

    it('holds the CSV import API to the JSON limits (one set, from the domain): rows, title, cell lengths; nothing saved', async () => {
      const before = await inspectionCount();
      const rows = (n: number) =>
        ['reference,text', ...Array.from({ length: n }, (_, i) => `R${i + 1},Text ${i + 1}`)].join('\n');
      const tooMany = await postCsv(lead, importPath(fieldsFor('Too many')), rows(3000));
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.message).toEqual([
        'the file has 3000 recommendations: at most 500 may be imported into one inspection',
      ]);
      expect((await postCsv(lead, importPath(fieldsFor('Just over')), rows(501))).status).toBe(400);
      const longTitle = await postCsv(lead, importPath(fieldsFor('t'.repeat(100_000))), rows(1));
      // 100,000 characters in the query: refused, whether by the URL's size or the title's limit.
      expect([400, 414, 431]).toContain(longTitle.status);
      const title501 = await postCsv(lead, importPath(fieldsFor('t'.repeat(501))), rows(1));
      expect(title501.status).toBe(400);
      expect(title501.body.message).toEqual(['title must be shorter than or equal to 500 characters']);
      const longText = await postCsv(
        lead,
        importPath(fieldsFor('Long text')),
        `reference,text\n1,${'x'.repeat(10_001)}\n`,
      );
      expect(longText.status).toBe(400);
      expect(longText.body.message).toEqual(['Row 2: text is longer than 10000 characters']);
      expect(await inspectionCount()).toBe(before);
    });
    it('holds the /import form to the same limits: a 100,000-character title, 501 rows; nothing saved', async () => {
      const before = await inspectionCount();
      const pages = await signedInPages(api.baseUrl, lead.email, TEST_PASSWORD);
      const form = (title: string) => ({
        _csrf: '',
        action: 'import',
        organisationId: org.id,
        title,
        programme: 'NCPI',
        'published-day': '30',
        'published-month': '8',
        'published-year': '2018',
        leadInspectorId: lead.id,
      });
      const post = async (title: string, csv: string) =>
        pages.post(
          '/import',
          { ...form(title), _csrf: await pages.csrf('/import') },
          { field: 'csvFile', name: 'recs.csv', content: csv },
        );
      const longTitle = await post('t'.repeat(100_000), 'reference,text\n1,One\n');
      expect(longTitle.status).toBe(400);
      expect(longTitle.text).toContain('Inspection title must be 500 characters or fewer');
      const rows = ['reference,text', ...Array.from({ length: 501 }, (_, i) => `R${i + 1},Text`)].join('\n');
      const tooMany = await post('Too many rows', rows);
      expect(tooMany.status).toBe(400);
      expect(tooMany.text).toContain(
        'the file has 501 recommendations: at most 500 may be imported into one inspection',
      );
      expect(await inspectionCount()).toBe(before);
    });
  });

  describe('lineage', () => {
    it('closes as superseded by a later inspection, shown both ways; refuses anything else by name', async () => {
      const older = await api.createInspection(lead.token, {
        organisationId: org.id,
        leadInspectorId: lead.id,
        publishedAt: '2018-08-30T00:00:00Z',
        recommendations: [{ reference: '1' }, { reference: '2' }],
      });
      const later = await api.createInspection(lead.token, {
        organisationId: org.id,
        leadInspectorId: lead.id,
        publishedAt: '2019-08-01T00:00:00Z',
        recommendations: [{ reference: 'N1' }],
      });
      const hidden = await api.createInspection(lead.token, {
        organisationId: otherOrg.id,
        leadInspectorId: lead.id,
        publishedAt: '2019-08-01T00:00:00Z',
        recommendations: [{ reference: 'X' }],
      });
      const [old1, old2] = older.recommendations;
      const next = later.recommendations[0];
      const close = (id: string, version: number, extra: Record<string, unknown>) =>
        lead.api.post(`/recommendations/${id}/transitions`, {
          action: 'close',
          version,
          comment: 'Replaced by the 2019 review',
          ...extra,
        });

      const earlier = await close(next.id, next.version, { outcome: 'superseded', supersededById: old1.id });
      expect(earlier).toMatchObject({
        status: 400,
        body: { message: ['supersededById must name a recommendation of a later inspection'] },
      });
      const sibling = await close(old1.id, old1.version, { outcome: 'superseded', supersededById: old2.id });
      expect(sibling.body.message).toEqual(['supersededById must name a recommendation of a later inspection']);
      const wrongOutcome = await close(old1.id, old1.version, { outcome: 'not_implemented', supersededById: next.id });
      expect(wrongOutcome.body.message).toEqual(['supersededById is accepted only with outcome superseded']);
      const unknown = await close(old1.id, old1.version, {
        outcome: 'superseded',
        supersededById: '00000000-0000-4000-8000-000000000000',
      });
      expect(unknown.body.message).toEqual(['supersededById does not name a recommendation you can see']);
      expect((await api.adminApi.get(`/recommendations/${old1.id}`)).body).toMatchObject({
        status: 'issued',
        version: old1.version,
      });

      // Visible to the actor: the lead sees every force; a cross-force replacement is allowed when visible.
      const closed = await close(old1.id, old1.version, { outcome: 'superseded', supersededById: next.id });
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({
        status: 'closed',
        outcome: 'superseded',
        supersededById: next.id,
        supersedes: [],
      });
      const replacement = await liaison.api.get(`/recommendations/${next.id}`);
      expect(replacement.body.supersedes).toEqual([old1.id]);
      expect((await liaison.api.get(`/inspections/${later.id}`)).body.recommendations[0].supersedes).toEqual([old1.id]);
      expect((await otherLiaison.api.get(`/recommendations/${hidden.recommendations[0].id}`)).body.supersedes).toEqual(
        [],
      );

      const reopened = await lead.api.post(`/recommendations/${old1.id}/transitions`, {
        action: 'reopen',
        version: closed.body.version,
        comment: 'Not replaced after all',
      });
      expect(reopened.body).toMatchObject({ status: 'planned', supersededById: null });
      expect((await liaison.api.get(`/recommendations/${next.id}`)).body.supersedes).toEqual([]);
    });
  });

  describe('calendar feed', () => {
    it("serves the user's deadlines with stable UIDs; a moved deadline keeps its UID; a replaced token answers 404", async () => {
      const inspection = await api.createInspection(lead.token, {
        organisationId: otherOrg.id,
        leadInspectorId: lead.id,
        publishedAt: '2030-01-15T00:00:00Z',
        recommendations: [{ reference: 'C1', dueAt: '2030-06-30T23:00:00Z' }],
      });
      const created = await otherLiaison.api.post('/users/me/calendar-token');
      expect(created.status).toBe(201);
      expect(created.body.url).toBe(`http://localhost:3000/calendar/${created.body.token}.ics`);
      const feed = await get(`/calendar/${created.body.token}.ics`);
      expect(feed.status).toBe(200);
      expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      const ics = await feed.text();
      const recId = inspection.recommendations[0].id;
      expect(ics).toContain(`UID:due_date-${recId}@followup-tracker`);
      expect(ics).toContain(`UID:action_plan-${inspection.id}@followup-tracker`);
      expect(ics).toContain(`UID:revisit-${inspection.id}@followup-tracker`);
      // 30 June 2030 23:00 UTC is 1 July in London: an all-day event on the London date.
      expect(ics).toMatch(new RegExp(`UID:due_date-${recId}@followup-tracker[\\s\\S]*?DTSTART;VALUE=DATE:20300701`));
      expect(ics).toContain('X-WR-TIMEZONE:Europe/London');
      // Another force's liaison never sees these.
      const mine = await liaison.api.post('/users/me/calendar-token');
      expect(await (await get(`/calendar/${mine.body.token}.ics`)).text()).not.toContain(recId);

      const patched = await lead.api.patch(`/inspections/${inspection.id}`, {
        version: inspection.version,
        revisitDueAt: '2030-09-01T00:00:00Z',
      });
      expect(patched.status).toBe(200);
      const moved = await (await get(`/calendar/${created.body.token}.ics`)).text();
      expect(moved.split(`UID:revisit-${inspection.id}@`)).toHaveLength(2);
      expect(moved).toMatch(
        new RegExp(`UID:revisit-${inspection.id}@followup-tracker[\\s\\S]*?DTSTART;VALUE=DATE:20300901`),
      );

      const replaced = await otherLiaison.api.post('/users/me/calendar-token');
      expect(replaced.body.token).not.toBe(created.body.token);
      expect((await get(`/calendar/${created.body.token}.ics`)).status).toBe(404);
      expect((await get(`/calendar/${replaced.body.token}.ics`)).status).toBe(200);
      expect((await get('/calendar/not-a-token.ics')).status).toBe(404);
      expect((await get(`/calendar/${replaced.body.token}.txt`)).status).toBe(404);
      // Only the hash is stored.
      const stored = await api.app
        .get((await import('typeorm')).DataSource)
        .query(`SELECT calendar_token_hash FROM users WHERE id = $1`, [otherLiaison.id]);
      expect(stored[0].calendar_token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored[0].calendar_token_hash).not.toContain(replaced.body.token);
    });

    it("stops a deactivated person's feed at once, and a reactivated person's old link stays dead", async () => {
      const person = await api.createUser('liaison', [org.id]);
      const { token } = (await person.api.post('/users/me/calendar-token')).body;
      expect((await get(`/calendar/${token}.ics`)).status).toBe(200);
      const { version } = (await person.api.get('/users/me')).body; // making the link changed the user
      const deactivated = await api.adminApi.patch(`/users/${person.id}`, { version, active: false });
      expect(deactivated.status).toBe(200);
      expect((await get(`/calendar/${token}.ics`)).status).toBe(404);
      const reactivated = await api.adminApi.patch(`/users/${person.id}`, {
        version: deactivated.body.version,
        active: true,
      });
      expect(reactivated.status).toBe(200);
      expect((await get(`/calendar/${token}.ics`)).status).toBe(404);
    });
  });

  describe('public register', () => {
    let force: Organisation,
      forceLiaison: TestUser,
      published: InspectionDetail,
      unpublished: InspectionDetail,
      register: Schema<'ForceRegisterResponse'>;

    beforeAll(async () => {
      force = await api.createOrganisation({ name: 'Warwickshire Police', code: 'WARWICKS' });
      forceLiaison = await api.createUser('liaison', [force.id]);
      published = await api.createInspection(lead.token, {
        organisationId: force.id,
        leadInspectorId: lead.id,
        title: 'NCPI Northamptonshire',
        publishedAt: '2018-07-26T00:00:00Z',
        recommendations: [{ reference: '1', text: '=HYPERLINK("http://evil")', area: 'Custody' }, { reference: '2' }],
      });
      unpublished = await api.createInspection(lead.token, {
        organisationId: force.id,
        leadInspectorId: lead.id,
        title: 'Not yet out',
        publishedAt: '2099-01-01T00:00:00Z',
        recommendations: [{ reference: 'S' }],
      });
      const [r1] = published.recommendations;
      let r = await forceLiaison.api.post(`/recommendations/${r1.id}/transitions`, {
        action: 'submit_plan',
        version: r1.version,
        response: 'partly_agreed',
        owner: 'Chief Superintendent Jane Smith',
        actions: 'Secret plan',
        targetDate: '2019-01-31',
        comment: 'Internal comment',
      });
      r = await forceLiaison.api.post(`/recommendations/${r1.id}/transitions`, {
        action: 'propose_closure',
        version: r.body.version,
        evidence: [{ title: 'Internal evidence', note: 'Confidential note' }],
      });
      expect(r.status).toBe(200);
    });

    it('lists every field it serves, and no other: never comments, owners, evidence, people or unpublished inspections', async () => {
      const response = await get('/register/warwicks.json');
      expect(response.status).toBe(200);
      register = (await response.json()) as Schema<'ForceRegisterResponse'>;
      const keys = (o: object) => Object.keys(o).sort();
      expect(keys(register)).toEqual(['inspections', 'organisation']);
      expect(keys(register.organisation)).toEqual(['code', 'name']);
      expect(register.inspections.map((i) => i.title)).toEqual(['NCPI Northamptonshire']);
      for (const inspection of register.inspections) {
        expect(keys(inspection)).toEqual(['id', 'programme', 'publishedDate', 'recommendations', 'title']);
        for (const rec of inspection.recommendations) {
          expect(keys(rec)).toEqual([
            'area',
            'dueDate',
            'id',
            'outcome',
            'reference',
            'status',
            'statusChanges',
            'supersededById',
            'supersedes',
            'text',
          ]);
          for (const change of rec.statusChanges) expect(keys(change)).toEqual(['date', 'status']);
        }
      }
      expect(register.inspections[0].recommendations[0]).toEqual({
        id: published.recommendations[0].id,
        reference: '1',
        text: '=HYPERLINK("http://evil")',
        area: 'Custody',
        status: 'closure_proposed',
        outcome: null,
        dueDate: '2019-01-26',
        statusChanges: [
          { date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), status: 'issued' },
          { date: expect.any(String), status: 'planned' },
          { date: expect.any(String), status: 'closure_proposed' },
        ],
        supersededById: null,
        supersedes: [],
      });
      const text = JSON.stringify(register);
      for (const secret of [
        'Jane Smith',
        'Secret plan',
        'Internal comment',
        'Internal evidence',
        'Confidential note',
        'Not yet out',
        lead.id,
        lead.email,
        forceLiaison.email,
      ])
        expect(text).not.toContain(secret);
    });

    it('serves the same rows as CSV, spreadsheet-safe', async () => {
      const response = await get('/register/WARWICKS.csv');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const rows = parse<Record<string, string>>(await response.text(), { bom: true, columns: true });
      expect(Object.keys(rows[0])).toEqual([
        'inspection',
        'programme',
        'published date',
        'reference',
        'text',
        'area',
        'status',
        'outcome',
        'due date',
        'status changes',
        'id',
        'superseded by',
        'supersedes',
      ]);
      expect(rows.map((r) => [r.reference, r.text, r.status])).toEqual([
        ['1', `'=HYPERLINK("http://evil")`, 'closure_proposed'],
        ['2', 'Recommendation 2', 'issued'],
      ]);
    });

    it('answers 304 to a matching If-None-Match, and changes its ETag when something shown changes', async () => {
      const first = await get('/register/WARWICKS.json');
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+-json"$/);
      expect(new Date(first.headers.get('last-modified')!).getTime()).toBeGreaterThan(0);
      const again = await get('/register/WARWICKS.json', { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect((await get('/register/WARWICKS.csv', { 'if-none-match': etag })).status).toBe(200);

      const current = (await api.adminApi.get(`/inspections/${published.id}`)).body;
      const byLead = await lead.api.patch(`/inspections/${published.id}`, {
        version: current.version,
        registerWithheldReason: 'Legal review',
      });
      expect(byLead.status).toBe(403);
      const withheld = await api.adminApi.patch(`/inspections/${published.id}`, {
        version: current.version,
        registerWithheldReason: 'Legal review',
      });
      expect(withheld.status).toBe(200);
      expect(withheld.body.registerWithheldReason).toBe('Legal review');
      const after = await get('/register/WARWICKS.json', { 'if-none-match': etag });
      expect(after.status).toBe(200);
      expect(((await after.json()) as Schema<'ForceRegisterResponse'>).inspections).toEqual([]);
      const events = await api.app
        .get((await import('typeorm')).DataSource)
        .query(`SELECT action, changes FROM audit_events WHERE entity_id = $1 ORDER BY seq DESC LIMIT 1`, [
          published.id,
        ]);
      expect(events[0]).toMatchObject({
        action: 'inspection.updated',
        changes: { registerWithheldReason: { from: null, to: 'Legal review' } },
      });

      const shown = await api.adminApi.patch(`/inspections/${published.id}`, {
        version: withheld.body.version,
        registerWithheldReason: null,
      });
      expect(shown.body.registerWithheldReason).toBeNull();
      expect(
        ((await (await get('/register/WARWICKS.json')).json()) as Schema<'ForceRegisterResponse'>).inspections,
      ).toHaveLength(1);
    });

    it('keeps its ETag and Last-Modified while an unpublished inspection is made, edited and worked on', async () => {
      const read = async () => {
        const response = await get('/register/WARWICKS.json');
        expect(response.status).toBe(200);
        return {
          etag: response.headers.get('etag'),
          lastModified: response.headers.get('last-modified'),
          body: await response.text(),
        };
      };
      // Last-Modified has whole seconds: wait into the next one, so a change would show.
      const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1_100 - (Date.now() % 1_000)));
      const before = await read();
      await nextSecond();
      const preparing = (await api.adminApi.get(`/inspections/${unpublished.id}`)).body;
      const edited = await lead.api.patch(`/inspections/${unpublished.id}`, {
        version: preparing.version,
        title: 'Not yet out (draft 2)',
        revisitDueAt: '2099-12-01T00:00:00Z',
      });
      expect(edited.status).toBe(200);
      const rec = edited.body.recommendations[0];
      expect(
        (
          await forceLiaison.api.post(`/recommendations/${rec.id}/transitions`, {
            action: 'submit_plan',
            version: rec.version,
            response: 'agreed',
            owner: 'O',
            actions: 'A',
            targetDate: '2100-01-31',
          })
        ).status,
      ).toBe(200);
      await api.createInspection(lead.token, {
        organisationId: force.id,
        leadInspectorId: lead.id,
        title: 'Also being prepared',
        publishedAt: '2099-02-01T00:00:00Z',
      });
      expect(await read()).toEqual(before);
      expect((await get('/register/WARWICKS.json', { 'if-none-match': before.etag! })).status).toBe(304);
      expect((await get('/register/WARWICKS.csv', { 'if-modified-since': before.lastModified! })).status).toBe(304);

      // A change the public sees still changes both.
      await nextSecond();
      const shown = (await api.adminApi.get(`/inspections/${published.id}`)).body;
      expect(
        (
          await api.adminApi.patch(`/inspections/${published.id}`, {
            version: shown.version,
            title: 'NCPI Northamptonshire (revised)',
          })
        ).status,
      ).toBe(200);
      const after = await read();
      expect(after.etag).not.toBe(before.etag);
      expect(new Date(after.lastModified!).getTime()).toBeGreaterThan(new Date(before.lastModified!).getTime());
    });

    it('lists the forces, and answers 404 for an unknown force or format, all without sign-in', async () => {
      const forces = await api.client(null).get('/register');
      expect(forces.status).toBe(200);
      expect(forces.body.items).toEqual(
        expect.arrayContaining([
          {
            code: 'WARWICKS',
            name: 'Warwickshire Police',
            inspections: expect.any(Number),
            recommendations: expect.any(Number),
            open: expect.any(Number),
          },
        ]),
      );
      expect((await get('/register/NOWHERE.json')).status).toBe(404);
      expect((await get('/register/WARWICKS.xml')).status).toBe(404);
      void unpublished;
    });
  });

  describe('readiness pack and export', () => {
    it('gives every recommendation with its plan, evidence, date changes with reasons and history, as JSON and CSV', async () => {
      const inspection = await api.createInspection(lead.token, {
        organisationId: org.id,
        leadInspectorId: lead.id,
        publishedAt: '2018-08-30T00:00:00Z',
        recommendations: [{ reference: '1' }, { reference: '2' }],
      });
      const [r1] = inspection.recommendations;
      let r = await liaison.api.post(`/recommendations/${r1.id}/transitions`, {
        action: 'submit_plan',
        version: r1.version,
        response: 'agreed',
        owner: 'Head of PPU',
        actions: 'Recruit',
        targetDate: '2019-01-31',
      });
      r = await liaison.api.post(`/recommendations/${r1.id}/transitions`, {
        action: 'update_progress',
        version: r.body.version,
        rag: 'amber',
        targetDate: '2019-06-30',
        comment: 'Recruitment delayed',
      });
      r = await liaison.api.post(`/recommendations/${r1.id}/transitions`, {
        action: 'propose_closure',
        version: r.body.version,
        evidence: [{ title: 'Staffing report', url: 'https://example.org/report' }],
      });
      expect(r.status).toBe(200);

      const pack = await liaison.api.get(`/inspections/${inspection.id}/readiness`);
      expect(pack.status).toBe(200);
      expect(pack.body.organisation).toMatchObject({ name: 'Merseyside Police', code: 'MERSEYSIDE' });
      expect(pack.body.leadInspector).toBe('Test inspector');
      const first = pack.body.recommendations[0];
      expect(first).toMatchObject({
        reference: '1',
        status: 'closure_proposed',
        owner: 'Head of PPU',
        rag: 'amber',
        targetDate: '2019-06-30',
      });
      expect(first.evidence).toEqual([
        expect.objectContaining({
          title: 'Staffing report',
          url: 'https://example.org/report',
          submittedBy: 'Test liaison',
        }),
      ]);
      expect(first.dateChanges).toEqual([
        {
          at: expect.any(String),
          field: 'targetDate',
          from: '2019-01-31',
          to: '2019-06-30',
          reason: 'Recruitment delayed',
        },
      ]);
      expect(first.history.map((h: { action: string }) => h.action)).toEqual([
        'recommendation.issued',
        'submit_plan',
        'update_progress',
        'propose_closure',
      ]);
      // A liaison officer may not read notifications (GET /notifications refuses them), so the pack leaves them out.
      expect(first.notificationsSent).toBeNull();
      expect(pack.body.recommendations).toHaveLength(2);

      const csv = await fetch(`${api.baseUrl}/inspections/${inspection.id}/readiness?format=csv`, {
        headers: { authorization: `Bearer ${liaison.token}` },
      });
      expect(csv.status).toBe(200);
      const rows = parse<Record<string, string>>(await csv.text(), { bom: true, columns: true });
      expect(rows.map((row) => row.reference)).toEqual(['1', '2']);
      expect(rows[0]['date changes']).toMatch(/targetDate 2019-01-31 -> 2019-06-30 \(Recruitment delayed\)/);
      expect((await otherLiaison.api.get(`/inspections/${inspection.id}/readiness`)).status).toBe(404);
    });

    it('exports the list with its filters as streamed CSV, every page, spreadsheet-safe, and re-reads it', async () => {
      const inspection = await api.createInspection(lead.token, {
        organisationId: org.id,
        leadInspectorId: lead.id,
        recommendations: [
          { reference: '1', text: '@SUM(1+1)' },
          { reference: '2', text: '-2 officers' },
          { reference: '3', text: 'Plain, with "quotes"\nand a new line' },
          { reference: '4', text: 'Plan; =HYPERLINK("http://evil.example")' },
        ],
      });
      const response = await fetch(`${api.baseUrl}/recommendations.csv?inspectionId=${inspection.id}`, {
        headers: { authorization: `Bearer ${liaison.token}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toBe('attachment; filename=recommendations.csv');
      const rows = parse<Record<string, string>>(await response.text(), { bom: true, columns: true });
      rows.sort((a, b) => a.reference.localeCompare(b.reference));
      expect(rows.map((r) => [r.reference, r.text, r['inspection id']])).toEqual([
        ['1', "'@SUM(1+1)", inspection.id],
        ['2', "'-2 officers", inspection.id],
        ['3', 'Plain, with "quotes"\nand a new line', inspection.id],
        // Excel in a `;` locale would split an unquoted cell here: the part after the `;` is neutralised too, and the
        // cell quoted.
        ['4', 'Plan;\' =HYPERLINK("http://evil.example")', inspection.id],
      ]);
      const everything = await fetch(`${api.baseUrl}/recommendations.csv?organisationId=${org.id}`, {
        headers: { authorization: `Bearer ${liaison.token}` },
      });
      const all = parse<unknown>(await everything.text(), { bom: true, columns: true });
      const listed = (await api.adminApi.get(`/recommendations?organisationId=${org.id}&limit=500`)).body;
      expect(all.length).toBeGreaterThan(500);
      expect(listed.nextCursor).not.toBeNull();
      const hidden = await fetch(`${api.baseUrl}/recommendations.csv?organisationId=${org.id}`, {
        headers: { authorization: `Bearer ${otherLiaison.token}` },
      });
      expect(parse(await hidden.text(), { bom: true, columns: true })).toEqual([]);
    });
  });
});
