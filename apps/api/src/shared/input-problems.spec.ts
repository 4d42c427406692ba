// Refused input is made into problems (field, rule, message) once; the API's body keeps the contract's shape.
import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { TransitionRequest } from './dto/recommendations.dto.js';
import { InvalidRequest } from './input-problems.js';
import { createValidationPipe, uuidParam } from './validation.js';

const refusal = async (body: unknown): Promise<InvalidRequest> => {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: TransitionRequest, data: '' });
  } catch (error) {
    if (error instanceof InvalidRequest) return error;
    throw error;
  }
  throw new Error('accepted');
};

describe('the validation pipe', () => {
  it('gives each failed constraint its path, rule and declared limit, and the API the same messages', async () => {
    const error = await refusal({
      action: 'submit_plan',
      version: 1,
      owner: 'x'.repeat(201),
      evidence: [{ title: '', url: 'not a url' }],
      colour: 'red',
    });
    expect(error.problems).toEqual(
      expect.arrayContaining([
        {
          field: 'owner',
          rule: 'maxLength',
          message: 'owner must be shorter than or equal to 200 characters',
          args: [200],
        },
        { field: 'evidence.0.title', rule: 'isNotEmpty', message: 'evidence.0.title is required' },
        {
          field: 'evidence.0.url',
          rule: 'isUrl',
          message: 'evidence.0.url must be a URL',
          args: [{ require_tld: false }],
        },
        { field: 'colour', rule: 'whitelistValidation', message: 'property colour should not exist' },
      ]),
    );
    expect(error.getResponse()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: error.problems.map((p) => p.message),
    });
  });

  it('refuses what class-validator cannot see with a problem of its own', async () => {
    const error = await refusal({ action: 'submit_plan', version: 1, owner: 'a\u0000b' });
    expect(error.problems).toEqual([
      {
        field: 'owner',
        rule: 'plainText',
        message: 'owner must be text without NUL characters or unpaired surrogates',
      },
    ]);
  });

  it('names a malformed path id', async () => {
    const error = await uuidParam('id')
      .transform('nope', { type: 'param', data: 'id' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequest);
    expect((error as InvalidRequest).getResponse()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: ['id must be a UUID'],
    });
  });
});
