// Message-IDs: derived from what is notified, stable across resends, in the sender's domain.
import { describe, expect, it } from '@jest/globals';
import { messageIdFor } from './message-id.js';

describe('messageIdFor', () => {
  it('is deterministic for the same notification identity', () => {
    const identity = 'rec-1|2018-10-11|reminder|P7D|alex@northshire.police.uk';
    const id = messageIdFor(identity, 'noreply@hmicfrs.gov.uk');

    expect(messageIdFor(identity, 'noreply@hmicfrs.gov.uk')).toBe(id);
    expect(id).toMatch(/^<[0-9a-f]{32}@hmicfrs\.gov\.uk>$/);
  });

  it('differs for different identities', () => {
    expect(messageIdFor('rec-1|reminder', 'noreply@x.gov.uk')).not.toBe(
      messageIdFor('rec-2|reminder', 'noreply@x.gov.uk'),
    );
  });

  it('takes the domain from a display-form sender and falls back without one', () => {
    expect(messageIdFor('a', 'Follow-up Tracker <NoReply@Example.GOV.uk>')).toMatch(/@example\.gov\.uk>$/);
    expect(messageIdFor('a', 'not-an-address')).toMatch(/@followup\.local>$/);
  });
});
