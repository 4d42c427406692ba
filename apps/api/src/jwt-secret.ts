// The key the API's bearer tokens are signed and verified with.
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '#config';

/**
 * JWT_SECRET from the environment when set (production). Without it, one secret is generated and kept in
 * the database so that every API process signs and verifies with the same key.
 */
export async function resolveJwtSecret(config: AppConfig, db: DataSource): Promise<string> {
  if (config.env.JWT_SECRET) return config.env.JWT_SECRET;
  new Logger('JwtSecret').warn('JWT_SECRET is not set: using a generated secret stored in the database');
  await db.query(`INSERT INTO app_settings (key, value) VALUES ('jwt_secret', $1) ON CONFLICT (key) DO NOTHING`, [randomBytes(48).toString('base64url')]);
  const [row]: { value: string }[] = await db.query(`SELECT value FROM app_settings WHERE key = 'jwt_secret'`);
  return row.value;
}

/**
 * The secret as a symmetric KeyObject, made once per process. Given a string, jsonwebtoken first tries to
 * parse it as a PEM public key on every verify (crypto.createPublicKey, ~10 % of the API's CPU under load)
 * before falling back to a secret key; a KeyObject skips that and pins the key type to HMAC.
 */
export async function resolveJwtKey(config: AppConfig, db: DataSource): Promise<KeyObject> {
  return createSecretKey(Buffer.from(await resolveJwtSecret(config, db), 'utf8'));
}
