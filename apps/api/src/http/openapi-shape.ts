// What the decorators alone cannot say in the OpenAPI document, so that a generated client needs no cast: the
// transition
// request as a union discriminated by `action` (from the domain's transition table), a register download per media
// type,
// `null` among a nullable enum's values, and no paging parameters on downloads that stream every page.
import type { OpenAPIObject } from '@nestjs/swagger';
import { OUTCOMES_BY_ACTION, TRANSITIONS, type Transition } from '#domain';

type PathItemObject = OpenAPIObject['paths'][string];
type Schema = Record<string, unknown>;

/** `submit_plan` → `SubmitPlanTransition`. */
const branchName = (action: string): string =>
  `${action.replace(/(^|_)(.)/g, (_m, _s, c: string) => c.toUpperCase())}Transition`;

/** What a client may send as `actions`: the server joins a list of lines into one text. */
const ACTIONS_SCHEMA: Schema = {
  description: 'the planned actions: text, or a list of lines (joined with line breaks)',
  oneOf: [
    { type: 'string', maxLength: 20_000 },
    { type: 'array', items: { type: 'string' } },
  ],
};

/** One action's body: its own fields, those it needs required, every other field refused. */
function transitionBranch(transition: Transition, fields: Record<string, Schema>): Schema {
  const to = transition.to ?? transition.from.join(', ');
  const outcomes = OUTCOMES_BY_ACTION[transition.action];
  const schemaOf = (field: string): Schema => {
    if (field === 'actions') return ACTIONS_SCHEMA;
    return field === 'outcome' && outcomes ? { ...fields.outcome, enum: [...outcomes] } : fields[field];
  };
  const own = Object.fromEntries(transition.accepts.map((field) => [field, schemaOf(field)]));
  return {
    type: 'object',
    description: `${transition.roles.join(' or ')}: ${transition.from.join(', ')} → ${to}. Any field not listed here is refused (400).`,
    properties: {
      action: { type: 'string', enum: [transition.action] },
      version: { type: 'integer', description: 'the version the caller last read; a stale one gets 409' },
      ...own,
    },
    required: ['action', 'version', ...transition.requires],
    additionalProperties: false,
  };
}

/** TransitionRequest becomes a union of one schema per action, discriminated by `action`. */
function transitionUnion(schemas: Record<string, Schema>): void {
  const flat = schemas.TransitionRequest as { properties: Record<string, Schema> };
  const mapping: Record<string, string> = {};
  for (const transition of TRANSITIONS) {
    schemas[branchName(transition.action)] = transitionBranch(transition, flat.properties);
    mapping[transition.action] = `#/components/schemas/${branchName(transition.action)}`;
  }
  schemas.TransitionRequest = {
    description:
      'One workflow action and its payload; the transition table decides who may take it and from which status. Rules across ' +
      'fields (a comment unless the response is agreed, a comment when targetDate moves, supersededById only with the outcome ' +
      'superseded, amend_plan changing at least one of owner, actions or targetDate) are checked by the server: a 400 names them.',
    oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
    discriminator: { propertyName: 'action', mapping },
  };
}

/** A nullable enum lists `null` among its values, or validators refuse the null it allows. */
function nullInNullableEnums(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(nullInNullableEnums);
  if (node === null || typeof node !== 'object') return;
  const schema = node as Schema;
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
  Object.values(schema).forEach(nullInNullableEnums);
}

type Response = { description: string; content?: Record<string, object> };

/**
 * `/register/{file}` answers JSON or CSV as the file name's extension says: documented as one path per
 * extension, so that each operation has the one media type it answers with.
 */
function registerPerMediaType(paths: OpenAPIObject['paths']): OpenAPIObject['paths'] {
  const operation = paths['/register/{file}']?.get;
  if (!operation) return paths;
  const code = {
    name: 'code',
    in: 'path' as const,
    required: true,
    description: "the force's organisation code",
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
  };
  const ok = operation.responses['200'] as Response;
  const perExtension = (extension: 'json' | 'csv', mediaType: string): PathItemObject => ({
    get: {
      ...operation,
      operationId: `${operation.operationId}${extension === 'json' ? 'Json' : 'Csv'}`,
      summary: `One force's register as ${extension.toUpperCase()}, with ETag and Last-Modified`,
      parameters: [code],
      responses: { ...operation.responses, 200: { ...ok, content: { [mediaType]: ok.content?.[mediaType] ?? {} } } },
    },
  });
  // Rebuilt in order, so that the two paths stand where the one did.
  return Object.fromEntries(
    Object.entries(paths).flatMap(([path, item]): [string, PathItemObject][] =>
      path === '/register/{file}'
        ? [
            ['/register/{code}.json', perExtension('json', 'application/json')],
            ['/register/{code}.csv', perExtension('csv', 'text/csv')],
          ]
        : [[path, item]],
    ),
  );
}

/** A download that streams every page (no JSON answer) declares no `limit` or `cursor`: it would ignore them. */
function noPagingOnDownloads(paths: OpenAPIObject['paths']): void {
  for (const item of Object.values(paths)) {
    const operation = item.get;
    const content = (operation?.responses['200'] as Response | undefined)?.content;
    if (!operation?.parameters || !content || 'application/json' in content) continue;
    operation.parameters = operation.parameters.filter(
      (p) => !('name' in p && p.in === 'query' && (p.name === 'limit' || p.name === 'cursor')),
    );
  }
}

/** The document as a client generated from it needs it; `document` is changed in place and returned. */
export function shapeDocument(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  if (schemas.TransitionRequest) transitionUnion(schemas);
  document.paths = registerPerMediaType(document.paths);
  noPagingOnDownloads(document.paths);
  nullInNullableEnums(document);
  return document;
}
