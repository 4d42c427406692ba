// AUDIT_KEY and DATABASE_MIGRATION_URL at start-up: required and checked in production, defaults elsewhere.
import { describe, expect, it } from '@jest/globals';
import { DEVELOPMENT_AUDIT_KEY, loadConfig } from './env.schema.js';
import { configProblems as problemsOf } from '../test/support/config-problems.js';

describe('AUDIT_KEY', () => {
  it('defaults to the public development key outside production', () => {
    expect(loadConfig({}).auditKey).toBe(DEVELOPMENT_AUDIT_KEY);
    expect(loadConfig({ NODE_ENV: 'test' }).auditKey).toBe(DEVELOPMENT_AUDIT_KEY);
  });

  it('is required in production, and the development key is refused there', () => {
    const required = [
      'AUDIT_KEY: AUDIT_KEY must be set to a secret of at least 32 characters when NODE_ENV=production',
    ];
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual(required);
    expect(problemsOf({ NODE_ENV: 'production', AUDIT_KEY: DEVELOPMENT_AUDIT_KEY })).toEqual(required);
    expect(loadConfig({ NODE_ENV: 'production', AUDIT_KEY: 's'.repeat(32) }).auditKey).toBe('s'.repeat(32));
  });

  it('must be at least 32 characters', () => {
    expect(problemsOf({ AUDIT_KEY: 'short' })).toEqual(['AUDIT_KEY: AUDIT_KEY must be at least 32 characters']);
  });
});

describe('DATABASE_MIGRATION_URL', () => {
  it('defaults to DATABASE_URL, and must be a PostgreSQL URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://app@db/followup' }).migrationDatabaseUrl).toBe(
      'postgres://app@db/followup',
    );
    expect(loadConfig({ DATABASE_MIGRATION_URL: 'postgres://owner@db/followup' }).migrationDatabaseUrl).toBe(
      'postgres://owner@db/followup',
    );
    expect(problemsOf({ DATABASE_MIGRATION_URL: 'mysql://x' })).toEqual([
      'DATABASE_MIGRATION_URL: DATABASE_MIGRATION_URL must be a URL starting with postgres: or postgresql:',
    ]);
  });
});
