// Organisations set to single sign-on only: their people have no password, so none is set, reset or offered for them.
import { DomainError, DomainErrorCode } from '#domain';
import type { Repositories } from '#persistence';

export const SSO_ONLY_REFUSAL =
  'organisationIds includes an organisation whose people sign in only with single sign-on: they are added at their first sign-in with their organisation account';

/** Refuses a password account (an invitation, or a password given) in an organisation that is single sign-on only. */
export async function assertPasswordAccountAllowed(
  tx: Repositories,
  organisationIds: readonly string[],
): Promise<void> {
  if (await tx.singleSignOn.anySsoOnly(organisationIds))
    throw new DomainError(DomainErrorCode.Conflict, SSO_ONLY_REFUSAL);
}

/** The refusal at password sign-in, given once the password was right (so it tells nothing to someone guessing). */
export const ssoOnlySignIn = () =>
  new DomainError(
    DomainErrorCode.Forbidden,
    'your organisation signs in with single sign-on only: use "Sign in with your organisation account"',
  );
