// The invitation panel of an administrator's "Change a user" page: where the invitation stands, and resend or revoke.
import type { InvitationStatus } from '#application';
import { formatDeadline } from '#notifications';

/** "7 days", "1 hour", "90 minutes": a link's lifetime in words. */
export function lifetimeText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % (24 * 60) === 0) return plural(minutes / (24 * 60), 'day');
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour');
  return plural(minutes, 'minute');
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Null when there is nothing to say (the person never had an invitation). */
export function invitationModel(userId: string, status: InvitationStatus) {
  if (status.state === 'none') return null;
  const until = status.expiresAt ? formatDeadline(status.expiresAt) : '';
  const text = {
    sending: 'The invitation email is about to be sent.',
    sent: `Invitation sent; the link works until ${until}.`,
    expired: `The invitation expired on ${until} before a password was chosen.`,
    accepted: 'The person accepted the invitation and chose a password.',
    revoked: 'The invitation was revoked, or replaced by a newer one, before it was used.',
  }[status.state];
  return {
    text,
    resendAction: status.state === 'accepted' ? null : `/admin/users/${userId}/invitation`,
    revokeAction:
      status.state === 'sent' || status.state === 'sending' ? `/admin/users/${userId}/invitation/revoke` : null,
  };
}
