// shapeDocument on a small document: one transition schema per row of the transition table, a register path per
// media type, null among a nullable enum's values, and no paging parameters on a download.
import { describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { TRANSITIONS } from '#domain';
import { shapeDocument } from './openapi-shape.js';

const paging = [
  { name: 'limit', in: 'query' as const },
  { name: 'cursor', in: 'query' as const },
  { name: 'status', in: 'query' as const },
];

function document(): OpenAPIObject {
  const text = { type: 'string' };
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/recommendations': {
        get: {
          parameters: paging,
          responses: { 200: { description: 'OK', content: { 'application/json': { schema: text } } } },
        },
      },
      '/recommendations.csv': {
        get: {
          parameters: paging,
          responses: { 200: { description: 'OK', content: { 'text/csv': { schema: text } } } },
        },
      },
      '/register/{file}': {
        get: {
          operationId: 'register_force',
          parameters: [{ name: 'file', in: 'path', required: true }],
          responses: {
            200: {
              description: 'OK',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/Force' } },
                'text/csv': { schema: text },
              },
            },
          },
        },
      },
      '/health': { get: { responses: { 200: { description: 'OK' } } } },
    },
    components: {
      schemas: {
        Force: {
          type: 'object',
          properties: {
            rag: { type: 'string', enum: ['green', 'red'], nullable: true },
            code: { type: 'string', enum: ['A'] },
          },
        },
        TransitionRequest: {
          type: 'object',
          properties: Object.fromEntries(
            [
              'action',
              'version',
              'comment',
              'response',
              'owner',
              'actions',
              'targetDate',
              'rag',
              'evidence',
              'outcome',
              'supersededById',
            ].map((f) => [f, { type: 'string' }]),
          ),
        },
      },
    },
  };
}

describe('shapeDocument', () => {
  const shaped = shapeDocument(document());
  const schemas = shaped.components?.schemas as Record<
    string,
    { required?: string[]; properties?: Record<string, { enum?: unknown[] }>; additionalProperties?: boolean }
  >;

  it('makes the transition request a union on action, one branch per transition with its own required and accepted fields', () => {
    const union = schemas.TransitionRequest as unknown as {
      oneOf: { $ref: string }[];
      discriminator: { propertyName: string; mapping: Record<string, string> };
    };
    expect(union.discriminator.propertyName).toBe('action');
    expect(Object.keys(union.discriminator.mapping)).toEqual(TRANSITIONS.map((t) => t.action));
    for (const transition of TRANSITIONS) {
      const branch = schemas[union.discriminator.mapping[transition.action].split('/').pop()!];
      expect(branch.required).toEqual(['action', 'version', ...transition.requires]);
      expect(Object.keys(branch.properties ?? {}).sort()).toEqual(['action', 'version', ...transition.accepts].sort());
      expect(branch.properties?.action.enum).toEqual([transition.action]);
      expect(branch.additionalProperties).toBe(false);
    }
    expect(schemas.CloseTransition.properties?.outcome.enum).toEqual(['not_implemented', 'superseded']);
    expect(schemas.AuthoriseClosureTransition.properties?.outcome.enum).toEqual(['implemented']);
  });

  it('documents a register download per extension, each with its one media type, where the one path stood', () => {
    expect(Object.keys(shaped.paths)).toEqual([
      '/recommendations',
      '/recommendations.csv',
      '/register/{code}.json',
      '/register/{code}.csv',
      '/health',
    ]);
    const contentOf = (path: string) =>
      Object.keys((shaped.paths[path].get?.responses[200] as { content: object }).content);
    expect([contentOf('/register/{code}.json'), contentOf('/register/{code}.csv')]).toEqual([
      ['application/json'],
      ['text/csv'],
    ]);
    expect(shaped.paths['/register/{code}.csv'].get?.operationId).toBe('register_forceCsv');
  });

  it('lists null among the values of a nullable enum only', () => {
    expect(schemas.Force.properties?.rag.enum).toEqual(['green', 'red', null]);
    expect(schemas.Force.properties?.code.enum).toEqual(['A']);
  });

  it('drops limit and cursor from a download, not from a JSON list', () => {
    const names = (path: string) => (shaped.paths[path].get?.parameters ?? []).map((p) => ('name' in p ? p.name : ''));
    expect(names('/recommendations')).toEqual(['limit', 'cursor', 'status']);
    expect(names('/recommendations.csv')).toEqual(['status']);
  });
});
