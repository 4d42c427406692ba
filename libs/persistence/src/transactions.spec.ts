// Which database errors the domain can explain: an unreachable database is Unavailable, not a 500.
import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { DomainErrorCode } from '#domain';
import { domainErrorFromDatabase, isDatabaseUnreachable } from './transactions.js';

const pgError = (code: string, message = 'error') => Object.assign(new Error(message), { code });
const failedQuery = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('domainErrorFromDatabase: an unreachable database', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
    [
      'an administrator shutdown (57P01)',
      failedQuery(pgError('57P01', 'terminating connection due to administrator command')),
    ],
    ['a server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', failedQuery(pgError('08006'))],
  ])('is Unavailable for %s', (_, error) => {
    expect(isDatabaseUnreachable(error)).toBe(true);
    expect(domainErrorFromDatabase(error)?.code).toBe(DomainErrorCode.Unavailable);
  });

  it('leaves other errors alone: a unique violation is a Conflict, an unknown error nothing the domain explains', () => {
    expect(isDatabaseUnreachable(failedQuery(pgError('23505')))).toBe(false);
    expect(domainErrorFromDatabase(failedQuery(pgError('23505')))?.code).toBe(DomainErrorCode.Conflict);
    expect(domainErrorFromDatabase(new Error('something else'))).toBeNull();
    expect(domainErrorFromDatabase(pgError('42P01', 'relation does not exist'))).toBeNull();
  });
});
