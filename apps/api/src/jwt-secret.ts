// The key the API's bearer tokens are signed and verified with.
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '#config';
import type { Storage } from '#persistence';

/**
 * JWT_SECRET from the environment when set (production). Without it, one secret is generated and kept in
 * the database so that every API process signs and verifies with the same key.
 */
export async function resolveJwtSecret(config: AppConfig, storage: Storage): Promise<string> {
  if (config.env.JWT_SECRET) return config.env.JWT_SECRET;
  new Logger('JwtSecret').warn('JWT_SECRET is not set: using a generated secret stored in the database');
  return storage.pool.settings.jwtSecret(randomBytes(48).toString('base64url'));
}

/**
 * The secret as a symmetric KeyObject, made once per process. Given a string, jsonwebtoken first tries to
 * parse it as a PEM public key on every verify (crypto.createPublicKey, ~10 % of the API's CPU under load)
 * before falling back to a secret key; a KeyObject skips that and pins the key type to HMAC.
 */
export async function resolveJwtKey(config: AppConfig, storage: Storage): Promise<KeyObject> {
  return createSecretKey(Buffer.from(await resolveJwtSecret(config, storage), 'utf8'));
}
