// DEMO DATA, FICTIONAL: a PEEL report of Cheshire Constabulary loaded as a draft, so that a person trying `npm start`
// can publish it.
import { DateTime } from 'luxon';
import { LONDON } from '#domain';

/**
 * A DemoInspection (demo-data.ts), imported, not yet published: Phil Gormley (or the administrator) sees a Publish
 * button on its page; Cheshire sees nothing yet.
 */
export function cheshirePeelDraft(now: Date) {
  return {
    organisation: 'CHESHIRE',
    title: 'PEEL 2025-27: An inspection of Cheshire Constabulary (demo draft, fictional)',
    programme: 'PEEL',
    publishedAt: DateTime.fromJSDate(now).setZone(LONDON).startOf('day').plus({ days: 7 }).toUTC().toISO()!,
    lead: 'inspector.gormley@demo.followup',
    liaison: 'liaison.cheshire@demo.followup',
    draft: true,
    recommendations: [
      {
        reference: '1',
        text: 'Make sure call handlers assess risk consistently using a structured approach.',
        timeframe: 'P6M',
        area: 'Responding to the public',
      },
      {
        reference: '2',
        text: 'Improve the supervision of investigations so that victims are kept informed.',
        timeframe: 'P6M',
        area: 'Investigating crime',
      },
      {
        reference: '3',
        text: 'Immediately review how it records and manages the risk posed by registered sex offenders.',
        timeframe: 'immediately',
        area: 'Managing offenders and suspects',
      },
    ],
  };
}
