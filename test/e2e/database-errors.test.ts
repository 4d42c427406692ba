// Input the database would choke on (tampered cursors, concurrent duplicates) is a 400 or a 409, never a 500.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  TEST_PASSWORD,
  startApi,
  type ApiResponse,
  type RunningApi,
  type Schema,
  type Organisation,
} from '../support/api-harness.js';

const cursorOf = (values: unknown): string => Buffer.from(JSON.stringify(values)).toString('base64url');
const CONCURRENT = 8;

/** One 201 and the rest 409, naming the field; nothing else (no 500). */
function expectOneWinner(responses: ApiResponse[], field: RegExp): void {
  const statuses = responses.map((r) => r.status).sort();
  expect(statuses).toEqual([201, ...Array<number>(CONCURRENT - 1).fill(409)]);
  for (const loser of responses.filter((r) => r.status === 409)) {
    expect(loser.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect(String(loser.body.message)).toMatch(field);
  }
}

describe('database errors at the edge', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('a cursor whose leading elements are garbage is a 400 naming the cursor', () => {
    const notText = [
      [{ $gt: '' }, randomUUID()],
      [12, randomUUID()],
      ['a\u0000b', randomUUID()],
      [null, randomUUID()],
      ['fine', 'not-a-uuid'],
      ['fine', randomUUID(), 'one too many'],
    ];
    const notTimestamps = [
      ['not a date', randomUUID()],
      ['2026-13-45T99:99:99.000Z', randomUUID()],
      ['20260101', randomUUID()],
      ...notText,
    ];
    const lists: [string, unknown[][]][] = [
      ['/recommendations', notTimestamps],
      ['/recommendations?overdue=true', notTimestamps],
      ['/inspections', notTimestamps],
      ['/notifications', notTimestamps],
      ['/organisations', notText],
    ];
    for (const [path, garbage] of lists) {
      it(`GET ${path}`, async () => {
        for (const values of garbage) {
          const response = await api.adminApi.get(`${path}${path.includes('?') ? '&' : '?'}cursor=${cursorOf(values)}`);
          expect({ values, status: response.status }).toEqual({ values, status: 400 });
          expect(String(response.body.message)).toMatch(/cursor/);
        }
      });
    }

    it('still pages with the cursors it hands out', async () => {
      await Promise.all([api.createOrganisation(), api.createOrganisation(), api.createOrganisation()]);
      const first = await api.adminApi.get('/organisations?limit=1');
      expect(first.status).toBe(200);
      const second = await api.adminApi.get(`/organisations?limit=1&cursor=${first.body.nextCursor}`);
      expect(second.status).toBe(200);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    });
  });

  describe(`${CONCURRENT} concurrent creations of the same thing: one 201, the rest 409`, () => {
    it('organisation code', async () => {
      const code = `RACE-${randomUUID().slice(0, 8)}`.toUpperCase();
      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) => api.adminApi.post('/organisations', { name: `Race ${i}`, code })),
      );
      expectOneWinner(responses, /code/);
      const listed = await api.adminApi.get('/organisations?limit=500');
      expect(listed.body.items.filter((o: Organisation) => o.code === code)).toHaveLength(1);
    });

    it('user email', async () => {
      const email = `race-${randomUUID()}@e2e.test`;
      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) =>
          api.adminApi.post('/users', {
            email,
            name: `Racer ${i}`,
            password: TEST_PASSWORD,
            role: 'inspector',
            organisationIds: [],
          }),
        ),
      );
      expectOneWinner(responses, /email/);
      expect((await api.login(email, TEST_PASSWORD)).status).toBe(200);
    });

    it('follow-up policy programme', async () => {
      const programme = `Race programme ${randomUUID()}`;
      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, () =>
          api.adminApi.post('/follow-up-policies', { programme, actionPlanAfter: 'P6W', revisitAfter: 'P6M' }),
        ),
      );
      expectOneWinner(responses, /programme/);
      const policies = await api.adminApi.get('/follow-up-policies');
      expect(
        policies.body.items.filter((p: Schema<'FollowUpPolicyResponse'>) => p.programme === programme),
      ).toHaveLength(1);
    });
  });
});
