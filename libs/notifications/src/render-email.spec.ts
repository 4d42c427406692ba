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
    for (const iso of [
      '2026-03-29T00:59:59Z',
      '2026-03-29T01:00:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-25T01:30:00Z',
      '2026-12-31T23:59:00Z',
      '2027-01-01T00:00:00Z',
    ]) {
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
      item({
        recommendationId: 'rec-2',
        reference: 'REC-2018-002',
        deadlineType: 'due_date',
        deadlineAt: new Date('2019-01-15T17:30:00Z'),
      }),
      item({
        recommendationId: 'rec-3',
        reference: 'REC-2018-003',
        deadlineType: 'closure_review',
        organisationName: 'Eastvale Constabulary',
      }),
    ];
    const email = renderEmail(content({ items }));

    expect(email.subject).toBe('Reminder, 2 forces: 3 recommendations due, the first on 11 October 2018');
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Northshire Police');
      expect(part).toContain('Eastvale Constabulary');
      expect(part).toContain('PEEL 2018: Effectiveness');
      for (const ref of ['REC-2018-001', 'REC-2018-002', 'REC-2018-003']) expect(part).toContain(ref);
      expect(part).toContain('Thursday 11 October 2018');
      expect(part).not.toContain('00:00');
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
    // All day on the London date (23:00 UTC in summer is midnight on the 11th in London).
    expect(first).toContain('DTSTART;VALUE=DATE:20181011');
    expect(first).toContain('DTEND;VALUE=DATE:20181012');
    const uids = (s: string) => s.match(/^UID:.*$/gm);
    expect(uids(first)).toHaveLength(2);
    expect(new Set(uids(first)).size).toBe(2);
    expect(uids(again)).toEqual(uids(first));
  });

  it('names the evidence files of a review alert in both parts, escaped in HTML', () => {
    const files = [{ name: '<script>.pdf', description: 'PDF, 14 KB, no viruses found' }];
    const email = renderEmail(
      content({ kind: 'review_needed', items: [item({ deadlineType: 'closure_review', evidenceFiles: files })] }),
    );
    expect(email.text).toContain('Evidence files:\n- <script>.pdf (PDF, 14 KB, no viruses found)');
    expect(email.html).toContain('<li>&lt;script&gt;.pdf (PDF, 14 KB, no viruses found)</li>');
    expect(renderEmail(content()).text).not.toContain('Evidence files');
  });

  it('escapes HTML in the HTML part and leaves the text part literal', () => {
    const email = renderEmail(
      content({
        items: [
          item({ recommendationText: '<script>alert("x")</script> & <b>bold</b>', organisationName: 'A & B Police' }),
        ],
      }),
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
    expect(email.icalEvents === undefined).toBe(kind !== 'reminder' && kind !== 'calendar_cancel');
  });

  it('words subjects per kind', () => {
    const two = [item({ daysOverdue: 14 }), item({ recommendationId: 'rec-2', daysOverdue: 21 })];
    const subject = (kind: EmailContent['kind'], items = two) => renderEmail(content({ kind, items })).subject;

    expect(subject('reminder', [item()])).toBe(
      'Reminder, Northshire Police: 1 recommendation due, the first on 11 October 2018',
    );
    expect(subject('overdue')).toBe('Overdue, Northshire Police: 2 recommendations, the first due on 11 October 2018');
    expect(subject('escalation', [item({ daysOverdue: 14 })])).toBe(
      'Escalation, Northshire Police: 1 recommendation overdue 14 days, since 11 October 2018',
    );
    expect(subject('escalation')).toBe(
      'Escalation, Northshire Police: 2 recommendations overdue up to 21 days, since 11 October 2018',
    );
    expect(subject('review_needed', [item()])).toBe(
      'Evidence to review, Northshire Police: 1 recommendation, the first review due on 11 October 2018',
    );
    expect(subject('overdue_summary')).toBe(
      'Weekly overdue summary, Northshire Police: 2 recommendations, overdue since 11 October 2018',
    );
  });

  it('counts recommendations, not deadlines: one entry each, in order (first deadline, then reference as people count), never repeated', () => {
    const items = [
      item({
        recommendationId: 'r10',
        reference: '10',
        recommendationText: 'Review custody. Then report back to the board.',
      }),
      item({
        recommendationId: 'r2',
        reference: '2',
        recommendationText: 'Train every sergeant in risk assessment within the year.',
      }),
      // The same recommendation's due date, and a repeat of a row already listed.
      item({
        recommendationId: 'r2',
        reference: '2',
        deadlineType: 'due_date',
        deadlineAt: new Date('2019-02-28T00:00:00Z'),
      }),
      item({
        recommendationId: 'r2',
        reference: '2',
        recommendationText: 'Train every sergeant in risk assessment within the year.',
      }),
    ];
    const email = renderEmail(content({ kind: 'overdue', items }));
    expect(email.subject).toBe('Overdue, Northshire Police: 2 recommendations, the first due on 11 October 2018');
    for (const part of [email.text, email.html]) {
      expect(part.indexOf('Recommendation 2: Train every sergeant in risk assessment within the year')).toBeGreaterThan(
        -1,
      );
      expect(part.indexOf('Recommendation 2: Train')).toBeLessThan(part.indexOf('Recommendation 10: Review custody'));
      expect(part.split('Recommendation 2: Train').length - 1).toBe(1);
      expect(part.replace(/<[^>]+>/g, '')).toContain('Due date: Thursday 28 February 2019');
    }
  });

  it('links to the filtered list and to each item, and says why the person got it and how to change their preferences', () => {
    const items = [item({ organisationId: 'org-1', inspectionId: 'insp-1', daysOverdue: 40 })];
    const escalation = renderEmail(content({ kind: 'escalation', items }));
    expect(escalation.text).toContain('https://followup.example.gov.uk/overdue?force=org-1');
    expect(escalation.text).toContain('because overdue recommendations of Northshire Police are escalated to you');
    const reminder = renderEmail(content({ kind: 'reminder', items }));
    for (const part of [reminder.text, reminder.html]) {
      expect(part).toContain('https://followup.example.gov.uk/inspections/insp-1');
      expect(part).toContain('https://followup.example.gov.uk/recommendations/rec-1');
      expect(part).toContain('because you are a liaison officer for Northshire Police');
      expect(part).toContain('https://followup.example.gov.uk/account');
    }
  });

  it('names the evidence and who proposed closure in an evidence-review email', () => {
    const email = renderEmail(
      content({
        kind: 'review_needed',
        items: [
          item({
            deadlineType: 'closure_review',
            evidence: { titles: ['Custody audit 2019', 'Training register'], proposedBy: 'Lena Liaison' },
          }),
        ],
      }),
    );
    expect(email.text).toContain('Evidence: Custody audit 2019; Training register');
    expect(email.text).toContain('Closure proposed by: Lena Liaison');
    expect(email.html).toContain('<strong>Evidence:</strong> Custody audit 2019; Training register');
    expect(email.html).toContain('<strong>Closure proposed by:</strong> Lena Liaison');
  });

  it('shows how overdue an item is', () => {
    const email = renderEmail(content({ kind: 'overdue', items: [item({ daysOverdue: 3 })] }));

    expect(email.text).toContain('overdue by 3 days');
    expect(email.html).toContain('overdue by 3 days');
  });
});

describe('calendar cancellation email', () => {
  const organizer = { email: 'followup@tracker.example', name: 'Follow-up Tracker' };
  const cancel = (deadlineType: 'action_plan' | 'due_date') =>
    renderEmail(
      content({
        kind: NotificationKind.CalendarCancel,
        items: [
          item({
            deadlineType,
            inspectionId: 'insp-1',
            event: {
              subjectId: deadlineType === 'action_plan' ? 'insp-1' : 'rec-1',
              sequence: 7,
              changedAt: new Date('2018-10-01T09:00:00Z'),
            },
          }),
        ],
      }),
      { organizer },
    );

  it('is one METHOD:CANCEL event: same UID as the reminder, the given SEQUENCE, ORGANIZER, the recipient as ATTENDEE, STATUS:CANCELLED', () => {
    const email = cancel('due_date');
    expect(email.icalMethod).toBe('CANCEL');
    const ics = email.icalEvents!.replace(/\r\n /g, '');
    expect(ics).toContain('\r\nMETHOD:CANCEL\r\n');
    expect(ics).toContain('\r\nUID:due_date-rec-1@followup-tracker\r\n');
    expect(ics).toContain('\r\nSEQUENCE:7\r\n');
    expect(ics).toContain('\r\nDTSTAMP:20181001T090000Z\r\n');
    expect(ics).toContain('\r\nDTSTART;VALUE=DATE:20181011\r\n');
    expect(ics).toContain('\r\nORGANIZER;CN=Follow-up Tracker:mailto:followup@tracker.example\r\n');
    expect(ics).toContain('\r\nATTENDEE;CN=Alex Liaison:mailto:alex@northshire.police.uk\r\n');
    expect(ics).toContain('\r\nSTATUS:CANCELLED\r\n');
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(email.subject).toBe(
      'Cancelled, Northshire Police: recommendation REC-2018-001 due 11 October 2018 is no longer due',
    );
    expect(email.text).toContain('the recommendation has been closed');
  });

  it("names an action plan's event by its inspection, and the reminder's attachment carries the same ORGANIZER", () => {
    const email = cancel('action_plan');
    expect(email.icalEvents).toContain('UID:action_plan-insp-1@followup-tracker');
    expect(email.subject).toBe(
      'Cancelled, Northshire Police: the action plan deadline of 11 October 2018 is no longer due',
    );
    expect(email.text).toContain('every recommendation of the inspection has an action plan now');
    const reminder = renderEmail(content({ items: [item({ inspectionId: 'insp-1' })] }), { organizer });
    expect(reminder.icalMethod).toBe('PUBLISH');
    expect(reminder.icalEvents).toContain('\r\nORGANIZER;CN=Follow-up Tracker:mailto:followup@tracker.example\r\n');
    expect(reminder.icalEvents).not.toContain('STATUS:CANCELLED');
  });
});
