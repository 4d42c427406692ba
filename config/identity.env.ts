// Identity settings (docs/identity.md): one-time links, their request limits, and who must use two-factor sign-in.
import { z } from 'zod';
import { isoDuration, positiveInt } from './env-fields.js';

/** Spread into the environment schema. */
export const identityEnvShape = {
  INVITE_TTL: isoDuration('INVITE_TTL').default('P7D'),
  RESET_TTL: isoDuration('RESET_TTL').default('PT1H'),
  RESET_MAX_REQUESTS: positiveInt('RESET_MAX_REQUESTS', 5),
  RESET_REQUEST_WINDOW: isoDuration('RESET_REQUEST_WINDOW').default('PT1H'),
  MFA_REQUIRED_ROLES: z
    .string()
    .trim()
    // `none`: nobody must (an empty value counts as unset, so it cannot say that).
    .regex(
      /^(none|(admin|manager|inspector|liaison)(\s*,\s*(admin|manager|inspector|liaison))*)$/,
      'MFA_REQUIRED_ROLES must list roles (admin, manager, inspector, liaison) separated by commas, or be none',
    )
    .default('admin,inspector'),
};
