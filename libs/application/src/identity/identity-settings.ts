// The identity settings as the use cases need them: link lifetimes, reset request limits, roles that must use
// two-factor sign-in.
import type { AppConfig } from '#config';
import { parsePositiveDuration, Role } from '#domain';

export interface IdentitySettings {
  inviteTtlMs: number;
  resetTtlMs: number;
  resetMaxRequests: number;
  resetWindowSeconds: number;
  mfaRequiredRoles: ReadonlySet<Role>;
}

export function identitySettings({ env }: AppConfig): IdentitySettings {
  return {
    inviteTtlMs: parsePositiveDuration(env.INVITE_TTL, 'INVITE_TTL').toMillis(),
    resetTtlMs: parsePositiveDuration(env.RESET_TTL, 'RESET_TTL').toMillis(),
    resetMaxRequests: env.RESET_MAX_REQUESTS,
    resetWindowSeconds: Math.round(
      parsePositiveDuration(env.RESET_REQUEST_WINDOW, 'RESET_REQUEST_WINDOW').toMillis() / 1000,
    ),
    mfaRequiredRoles: new Set(
      env.MFA_REQUIRED_ROLES === 'none'
        ? []
        : env.MFA_REQUIRED_ROLES.split(',')
            .map((r) => r.trim())
            .filter((r): r is Role => (Object.values(Role) as string[]).includes(r)),
    ),
  };
}
