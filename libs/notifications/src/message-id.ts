// Message-IDs derived from an identity, so that a resend of the same email carries the same one.
import { createHash } from 'node:crypto';

const FALLBACK_DOMAIN = 'followup.local';

/**
 * Message-ID derived only from what is notified, so a resend after a crash between SMTP
 * acceptance and recording it carries the same Message-ID and can be recognised as a duplicate.
 */
export function messageIdFor(identity: string, mailFrom: string): string {
  const hash = createHash('sha256').update(identity, 'utf8').digest('hex').slice(0, 32);
  return `<${hash}@${domainOf(mailFrom)}>`;
}

/** Accepts a bare address or a display form such as `Follow-up Tracker <noreply@example.gov.uk>`. */
function domainOf(mailFrom: string): string {
  const match = /@([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)>?\s*$/i.exec(mailFrom.trim());
  return match ? match[1].toLowerCase() : FALLBACK_DOMAIN;
}
