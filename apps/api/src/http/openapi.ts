// The OpenAPI document of the HTTP edge: the decorators each operation declares its access and answers with, and the
// document built from them.
import { applyDecorators, type INestApplication, type Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
  DECORATORS,
  DocumentBuilder,
  SwaggerModule,
  getSchemaPath,
  type ApiResponseOptions,
  type ContentObject,
  type OpenAPIObject,
} from '@nestjs/swagger';
import { Public, Roles } from '#auth';
import type { Role } from '#domain';
import { ErrorResponse } from '../shared/dto/common.dto.js';
import { shapeDocument } from './openapi-shape.js';

/**
 * The contract's error statuses (docs/contracts/api-contract.md, Conventions), with what each means for any operation.
 */
const ERROR_MEANINGS = {
  400: 'Invalid input: the message names each bad field; unknown fields are refused',
  401: 'No bearer token, or a bad, expired or signed-out one',
  403: 'Authenticated, but not allowed to do this',
  404: 'Absent, or not visible to the caller',
  409: 'A stale version, an action the current state does not allow, or a duplicate',
  413: 'The body is larger than this operation takes',
  415: 'The body is of a media type this operation does not take (refused before it is read)',
  429: 'Too many failed sign-in attempts: the message says when to try again',
  503: 'A service the request needs (the database, the virus scanner in production) is not available: try again shortly',
} as const;
export type ErrorStatus = keyof typeof ERROR_MEANINGS;

/** Error answers, each with the contract's error body (ErrorResponse). */
export const ApiErrors = (...statuses: ErrorStatus[]): MethodDecorator =>
  applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: ERROR_MEANINGS[status], type: ErrorResponse })),
  );

/**
 * Only these roles may call the route (#auth's @Roles); the document adds the bearer token it takes and its 401 and
 * 403.
 */
export const ApiRoles = (...roles: Role[]): MethodDecorator =>
  applyDecorators(Roles(...roles), ApiBearerAuth(), ApiErrors(401, 403));

/**
 * Anyone may call the route without a token (#auth's @Public); the document says so with an empty security
 * list. Merged into the operation's metadata rather than through ApiOperation, whose default empty summary
 * would overwrite ApiEndpoint's when applied after it.
 */
export const ApiPublic = (): MethodDecorator =>
  applyDecorators(Public(), (_target, _key, descriptor) => {
    const operation: object | undefined = Reflect.getMetadata(DECORATORS.API_OPERATION, descriptor.value as object) as
      object | undefined;
    Reflect.defineMetadata(DECORATORS.API_OPERATION, { ...operation, security: [] }, descriptor.value as object);
  });

export interface EndpointDoc {
  /** The success status the route answers with (Nest's default, or its @HttpCode). */
  status: 200 | 201 | 202 | 204;
  /**
   * The success body: a DTO class (JSON), media types with their schemas (CSV, iCalendar), or both (JSON or
   * another media type, as the request asks); none for a 204.
   */
  body?: Type | ContentObject | [Type, ContentObject];
  /** What the success answer is, when more than the status says. */
  description?: string;
  /** The error answers the operation may give besides those of its access rule (ApiRoles' 401 and 403). */
  errors?: ErrorStatus[];
  /** Other answers: a 304, a 503. */
  also?: ApiResponseOptions[];
}

const SUCCESS = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' } as const;

/** The success answer's body as ApiResponse takes it, and the models a `$ref` in it needs registered. */
function successBody(body: EndpointDoc['body']): { answer: Partial<ApiResponseOptions>; models: Type[] } {
  if (body === undefined) return { answer: {}, models: [] };
  if (typeof body === 'function') return { answer: { type: body }, models: [] };
  if (!Array.isArray(body)) return { answer: { content: body }, models: [] };
  const [json, others] = body;
  return {
    answer: { content: { 'application/json': { schema: { $ref: getSchemaPath(json) } }, ...others } },
    models: [json],
  };
}

/** One operation's summary and answers: what a client generated from the document relies on. */
export function ApiEndpoint(summary: string, doc: EndpointDoc): MethodDecorator {
  const { status, description = SUCCESS[status] } = doc;
  const { answer, models } = successBody(doc.body);
  return applyDecorators(
    ApiOperation({ summary }),
    ...(models.length > 0 ? [ApiExtraModels(...models)] : []),
    ApiResponse({ status, description, ...answer }),
    ...(doc.also ?? []).map((other) => ApiResponse(other)),
    ApiErrors(...(doc.errors ?? [])),
  );
}

/** A success body that is text of one media type (a CSV download, an iCalendar feed). */
export const textBody = (mediaType: string, description: string): ContentObject => ({
  [mediaType]: { schema: { type: 'string', description } },
});

/** The tags, one per resource, in the order the document lists them. */
const TAGS: Record<string, string> = {
  auth: 'Signing in and out with bearer tokens',
  users: 'People, their roles and organisations, their own preferences and calendar link',
  organisations: 'The forces',
  inspections: 'Inspection reports, their dates, their recommendations and the revisit readiness pack',
  recommendations: 'The workflow: list, read, act on and export recommendations',
  notifications: 'The delivery ledger of notices by email',
  'follow-up-policies': 'The deadlines each inspection programme gives',
  dashboard: 'Oversight figures across forces',
  calendar: 'Deadlines as an iCalendar feed',
  register: 'The public register: published recommendations per force, as open data',
  health: 'Whether the database and the queue backend answer',
  audit: 'Signed checkpoints of the audit chain',
  webhooks:
    'Signed event deliveries to forces’ systems, Teams and Slack; the body of a standard delivery is the WebhookPayload schema',
};

/** `UsersController.me` → `users_me`: unique, URL-safe, named after the resource. */
const operationId = (controller: string, method: string): string =>
  `${controller.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}_${method}`;

/** The document of every API route: served at /docs-json, committed as docs/openapi.json, the typed client's source. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Follow-up Tracker')
    .setDescription(
      'Inspection recommendations, their deadlines and follow-up: HTTP contract v1 and its extensions (docs/contract-extensions.md)',
    )
    .setVersion('1')
    .addServer('http://{host}:{port}', 'An installation of the tracker (PORT, default 3000)', {
      host: { default: 'localhost' },
      port: { default: '3000' },
    })
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'The accessToken of POST /auth/login',
    });
  for (const [name, description] of Object.entries(TAGS)) builder.addTag(name, description);
  return shapeDocument(SwaggerModule.createDocument(app, builder.build(), { operationIdFactory: operationId }));
}
