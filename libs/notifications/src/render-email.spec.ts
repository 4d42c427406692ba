// Rendering every kind of email: subjects, text and HTML parts, links, deadlines in London time, calendar files.
import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { NotificationKind } from '../../domain/src/notifications/kinds.js';
import type { EmailContent, EmailItem } from './email-content.js';
import { formatDeadline, renderEmail } from './render-email.js';

const item = (overrides: Partial<EmailItem> = {}): EmailItem => ({
  recommendationId: 'rec-1',
  organisationName: 'Northshire Police',
  inspectionTitle: 'PEEL 2018: Effectiveness',
  reference: 'REC-2018-001',
  recommendationText: 'The force should improve how it records crime.',
  deadlineType: 'action_plan',
  // 23:00 UTC in British Summer Time is midnight in London.
  deadlineAt: new Date('2018-10-10T23:00:00Z'),
  ...overrides,
});

const content = (overrides: Partial<EmailContent> = {}): EmailContent => ({
  kind: 'reminder',
  recipient: { name: 'Alex Liaison', email: 'alex@northshire.police.uk' },
  items: [item()],
  appBaseUrl: 'https://followup.example.gov.uk/',
  ...overrides,
});

describe('formatDeadline', () => {
  it('formats in London time, in summer and in winter', () => {
    expect(formatDeadline(new Date('2018-10-10T23:00:00Z'))).toBe('Thursday 11 October 2018, 00:00 (UK time)');
    expect(formatDeadline(new Date('2019-01-15T17:30:00Z'))).toBe('Tuesday 15 January 2019, 17:30 (UK time)');
  });

  it('agrees with luxon across both clock changes and at midnight', () => {
    for (const iso of ['2026-03-29T00:59:59Z', '2026-03-29T01:00:00Z', '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', '2026-12-31T23:59:00Z', '2027-01-01T00:00:00Z']) {
      const at = new Date(iso);
      const expected = `${DateTime.fromJSDate(at, { zone: 'Europe/London' }).setLocale('en-GB').toFormat('cccc d LLLL yyyy, HH:mm')} (UK time)`;
      expect(formatDeadline(at)).toBe(expected);
    }
  });
});

describe('renderEmail', () => {
  it('lists every item with organisation, inspection, reference, London deadline, deadline kind and link', () => {
    const items = [
      item(),
      item({ recommendationId: 'rec-2', reference: 'REC-2018-002', deadlineType: 'due_date', deadlineAt: new Date('2019-01-15T17:30:00Z') }),
      item({ recommendationId: 'rec-3', reference: 'REC-2018-003', deadlineType: 'closure_review', organisationName: 'Eastvale Constabulary' }),
    ];
    const email = renderEmail(content({ items }));

    expect(email.subject).toBe('Reminder: 3 recommendation deadlines approaching');
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Northshire Police');
      expect(part).toContain('Eastvale Constabulary');
      expect(part).toContain('PEEL 2018: Effectiveness');
      for (const ref of ['REC-2018-001', 'REC-2018-002', 'REC-2018-003']) expect(part).toContain(ref);
      expect(part).toContain('Thursday 11 October 2018, 00:00 (UK time)');
      expect(part).toContain('Tuesday 15 January 2019, 17:30 (UK time)');
      expect(part).toContain('Action plan due');
      expect(part).toContain('Due date');
      expect(part).toContain('Closure review');
      expect(part).toContain('https://followup.example.gov.uk/recommendations/rec-1');
      expect(part).toContain('https://followup.example.gov.uk/recommendations/rec-3');
      expect(part).toContain('Alex Liaison');
    }
  });

  it('builds one calendar event per reminder item with a stable UID', () => {
    const items = [item(), item({ recommendationId: 'rec-2', deadlineType: 'due_date' })];
    const first = renderEmail(content({ items })).icalEvents ?? '';
    const again = renderEmail(content({ items })).icalEvents ?? '';

    expect(first).toContain('BEGIN:VCALENDAR');
    expect(first.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(first).toContain('DTSTART:20181010T230000Z');
    const uids = (s: string) => s.match(/^UID:.*$/gm);
    expect(uids(first)).toHaveLength(2);
    expect(new Set(uids(first)).size).toBe(2);
    expect(uids(again)).toEqual(uids(first));
  });

  it('names the evidence files of a review alert in both parts, escaped in HTML', () => {
    const files = [{ name: '<script>.pdf', description: 'PDF, 14 KB, no viruses found' }];
    const email = renderEmail(content({ kind: 'review_needed', items: [item({ deadlineType: 'closure_review', evidenceFiles: files })] }));
    expect(email.text).toContain('Evidence files:\n- <script>.pdf (PDF, 14 KB, no viruses found)');
    expect(email.html).toContain('<li>&lt;script&gt;.pdf (PDF, 14 KB, no viruses found)</li>');
    expect(renderEmail(content()).text).not.toContain('Evidence files');
  });

  it('escapes HTML in the HTML part and leaves the text part literal', () => {
    const email = renderEmail(
      content({ items: [item({ recommendationText: '<script>alert("x")</script> & <b>bold</b>', organisationName: 'A & B Police' })] }),
    );

    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<b>bold</b>');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.html).toContain('A &amp; B Police');
    expect(email.text).toContain('<script>alert("x")</script> & <b>bold</b>');
    expect(email.text).toContain('A & B Police');
  });

  it.each(Object.values(NotificationKind))('renders kind %s', (kind) => {
    const email = renderEmail(content({ kind, items: [item({ daysOverdue: 14, priority: true })] }));

    expect(email.subject.length).toBeGreaterThan(10);
    expect(email.html).toMatch(/^<!DOCTYPE html>/);
    expect(email.html).toContain('REC-2018-001');
    expect(email.text).toContain('REC-2018-001');
    expect(email.text).toContain('https://followup.example.gov.uk/recommendations/rec-1');
    expect(email.icalEvents === undefined).toBe(kind !== 'reminder');
  });

  it('words subjects per kind', () => {
    const two = [item({ daysOverdue: 14 }), item({ recommendationId: 'rec-2', daysOverdue: 21 })];
    const subject = (kind: EmailContent['kind'], items = two) => renderEmail(content({ kind, items })).subject;

    expect(subject('reminder', [item()])).toBe('Reminder: 1 recommendation deadline approaching');
    expect(subject('overdue')).toBe('Overdue: 2 recommendation deadlines have passed');
    expect(subject('escalation', [item({ daysOverdue: 14 })])).toBe('Escalation: 1 recommendation overdue 14 days');
    expect(subject('escalation')).toBe('Escalation: 2 recommendations overdue up to 21 days');
    expect(subject('review_needed', [item()])).toBe('Evidence waiting for review: 1 recommendation');
    expect(subject('overdue_summary')).toBe('Weekly overdue summary: 2 recommendations');
  });

  it('shows how overdue an item is', () => {
    const email = renderEmail(content({ kind: 'overdue', items: [item({ daysOverdue: 3 })] }));

    expect(email.text).toContain('overdue by 3 days');
    expect(email.html).toContain('overdue by 3 days');
  });
});
