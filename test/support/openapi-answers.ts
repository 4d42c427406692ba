// Checks an answer of the API against docs/openapi.json: its status is one the operation lists, its media type one
// that status lists, and a JSON body valid against the schema (Ajv, with the OpenAPI 3.0 formats and `nullable`).
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';

interface MediaType {
  schema?: object;
}
interface Answer {
  content?: Record<string, MediaType>;
}
interface Operation {
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, Answer>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
}

export const OPENAPI_DOCUMENT: Document = JSON.parse(
  readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'),
);

// ajv-formats is CommonJS: under ESM the default import is its module.exports, whose `default` is the plugin.
const addFormats = formats.default;
// Not strict: the document's OpenAPI keywords (example, discriminator, the paths around the schemas) are not JSON
// Schema's.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(OPENAPI_DOCUMENT, 'openapi');

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each documented path as a pattern, literal paths first (`/users/me` before `/users/{id}`). */
const TEMPLATES = Object.keys(OPENAPI_DOCUMENT.paths)
  .map((template) => ({
    template,
    pattern: new RegExp(
      `^${template
        .split(/\{[^}]+\}/)
        .map(escapeRegExp)
        .join('[^/]+')}$`,
    ),
    params: template.split('{').length - 1,
  }))
  .sort((a, b) => a.params - b.params);

/** The documented path template a request path answers to, if any (`/users/1f…` → `/users/{id}`). */
export function documentedPath(path: string): string | undefined {
  const bare = path.split('?')[0];
  return TEMPLATES.find(({ pattern }) => pattern.test(bare))?.template;
}

/**
 * Answered before any route runs, so no operation's answer: a URL or headers too large (Node's HTTP parser), and a
 * JSON body over the parser's limit (413, on operations that do not list a 413 of their own).
 */
const TRANSPORT_STATUSES = [413, 414, 431];

/** Request rules the server applies leniently (see takenRequestProblems). */
const LENIENT_KEYWORDS = ['format', 'pattern'];

const pointer = (...parts: string[]): string =>
  parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const validators = new Map<string, ValidateFunction>();

function validatorFor(ref: string): ValidateFunction {
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  return validate;
}

/**
 * What is wrong with an answer, by the document; empty when it is as documented. Paths the document does not
 * describe (pages, /metrics, /docs-json) are not its business.
 */
export function answerProblems(
  method: string,
  path: string,
  status: number,
  contentType: string | null,
  body: unknown,
): string[] {
  const template = documentedPath(path);
  const operation = template === undefined ? undefined : OPENAPI_DOCUMENT.paths[template][method.toLowerCase()];
  const answer = operation?.responses[String(status)];
  if (!template || !operation || (!answer && TRANSPORT_STATUSES.includes(status))) return [];
  const where = `${method.toUpperCase()} ${template} answered ${status}`;
  if (!answer)
    return [`${where}, a status the document does not list (${Object.keys(operation.responses).join(', ')})`];
  if (!answer.content || status === 304) return [];
  const mediaType = (contentType ?? '').split(';')[0].trim();
  const ranges = [mediaType, `${mediaType.split('/')[0]}/*`, '*/*'];
  if (!ranges.some((range) => range in answer.content!))
    return [
      `${where} as ${mediaType || 'no media type'}, which the document does not list (${Object.keys(answer.content).join(', ')})`,
    ];
  if (!mediaType.endsWith('json') || !(mediaType in answer.content)) return [];
  const validate = validatorFor(
    `openapi#/${pointer('paths', template, method.toLowerCase(), 'responses', String(status), 'content', mediaType, 'schema')}`,
  );
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (error) => `${where}: ${error.instancePath || 'the body'} ${error.message} (${error.schemaPath})`,
  );
}

/**
 * What the document would refuse in a JSON request body that the server took (a 2xx): a field it calls refused or
 * missing, a type or value it does not allow. A generated client built on such a document cannot send what works.
 * Formats and patterns are left out: the document asks for the canonical form (a time with its offset, a code
 * without spaces), which the server also takes leniently (London time, trimmed).
 */
export function takenRequestProblems(method: string, path: string, status: number, requestBody: unknown): string[] {
  const template = documentedPath(path);
  const operation = template === undefined ? undefined : OPENAPI_DOCUMENT.paths[template][method.toLowerCase()];
  if (!template || status >= 300 || !operation?.requestBody?.content['application/json'] || requestBody === undefined)
    return [];
  const validate = validatorFor(
    `openapi#/${pointer('paths', template, method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema')}`,
  );
  if (validate(requestBody)) return [];
  const where = `${method.toUpperCase()} ${template} took a body the document refuses`;
  return (validate.errors ?? [])
    .filter((error) => !LENIENT_KEYWORDS.includes(error.keyword))
    .map((error) => `${where}: ${error.instancePath || 'the body'} ${error.message} (${error.schemaPath})`);
}

/** Throws, naming each problem, when an answer (or a JSON body the server took) is not as the document describes it. */
export function expectDocumentedAnswer(
  method: string,
  path: string,
  status: number,
  contentType: string | null,
  body: unknown,
  requestBody?: unknown,
): void {
  const problems = [
    ...answerProblems(method, path, status, contentType, body),
    ...takenRequestProblems(method, path, status, requestBody),
  ];
  if (problems.length > 0)
    throw new Error(
      `The answer differs from docs/openapi.json:\n${problems.join('\n')}\n${JSON.stringify(body).slice(0, 500)}`,
    );
}
