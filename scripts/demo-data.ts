// DEMO DATA for `npm start`. Organisations, inspectors, dates and figures come from published news
// reports about HMICFRS inspections (listed in docs/contracts/seeds.md). The recommendation texts, owners, actions,
// evidence and comments are PARAPHRASES written for this demo, not the wording of the reports; the
// Cheshire inspection is FICTIONAL. The users and their @demo.followup addresses are invented.
//
// The 2018 and 2024 dates are kept as published, so many items are long overdue: that is realistic and
// fills the overdue view. The Cheshire inspection is dated from the day of seeding so that its
// deadlines lie ahead and reminders can be watched arriving.

import { DateTime } from 'luxon';
import { LONDON } from '#domain';
import { cheshirePeelDraft } from './demo-draft.js';

export const DEMO_PASSWORD = 'demo-password-1';
export const DEMO_ADMIN_EMAIL = 'admin@demo.followup';

export type DemoRole = 'admin' | 'manager' | 'inspector' | 'liaison';

export interface DemoOrganisation {
  code: string;
  name: string;
}
export interface DemoUser {
  email: string;
  name: string;
  role: DemoRole;
  /** Organisation codes; empty for a manager who sees every force. */
  organisations: string[];
  /** What the banner says about this login. */
  note: string;
}
export interface DemoEvidence {
  title: string;
  url?: string;
  note?: string;
}
/** What happens to a recommendation after it is issued, in order. Absent: it stays `issued`. */
export interface DemoFollowUp {
  plan: {
    response: 'agreed' | 'partly_agreed' | 'not_agreed';
    owner: string;
    actions: string;
    targetDate: string;
    comment?: string;
  };
  progress?: { rag: 'green' | 'amber' | 'red'; comment: string };
  /** Proposed by the liaison; `authorise` (by the lead inspector) closes it as implemented. */
  closure?: { evidence: DemoEvidence[]; comment: string; authorise?: string };
}
export interface DemoRecommendation {
  reference: string;
  text: string;
  /** ISO 8601 duration from publication, or `immediately`. */
  timeframe?: string;
  dueAt?: string;
  priority?: boolean;
  /** The area of the report it belongs to (the dashboard counts by area). */
  area?: string;
  followUp?: DemoFollowUp;
}
export interface DemoInspection {
  organisation: string;
  title: string;
  programme: string;
  publishedAt: string;
  /** Email of the lead inspector. */
  lead: string;
  /** The liaison who submits plans and evidence. */
  liaison: string;
  /** Loaded as a draft (seen only by inspectorate staff) so that a person can try the Publish button. */
  draft?: boolean;
  recommendations: DemoRecommendation[];
}
export interface DemoDataset {
  organisations: DemoOrganisation[];
  users: DemoUser[];
  inspections: DemoInspection[];
}

/** A day at midday UTC: the same calendar day in Europe/London whatever the season. */
const day = (date: string) => `${date}T12:00:00.000Z`;

/** The force agrees the recommendation: `owner` will do `actions` by `targetDate`. */
const agreed = (owner: string, actions: string, targetDate: string): DemoFollowUp['plan'] => ({
  response: 'agreed',
  owner,
  actions,
  targetDate: day(targetDate),
});

const organisations: DemoOrganisation[] = [
  { code: 'MERSEYSIDE', name: 'Merseyside Police' },
  { code: 'NORTHANTS', name: 'Northamptonshire Police' },
  { code: 'MET', name: 'Metropolitan Police Service' },
  { code: 'CHESHIRE', name: 'Cheshire Constabulary' },
];

const users: DemoUser[] = [
  {
    email: 'manager@demo.followup',
    name: 'Demo Inspectorate Manager',
    role: 'manager',
    organisations: [],
    note: 'manager, all forces',
  },
  {
    email: 'senior-lead.merseyside@demo.followup',
    name: 'Demo Force Senior Lead (Merseyside)',
    role: 'manager',
    organisations: ['MERSEYSIDE'],
    note: 'manager, Merseyside only',
  },
  {
    email: 'inspector.parr@demo.followup',
    name: 'Matt Parr (demo login)',
    role: 'inspector',
    organisations: [],
    note: 'inspector, leads Merseyside NCPI 2018',
  },
  {
    email: 'inspector.billingham@demo.followup',
    name: 'Zoë Billingham (demo login)',
    role: 'inspector',
    organisations: [],
    note: 'inspector, leads Northamptonshire NCPI 2018',
  },
  {
    email: 'inspector.freeman@demo.followup',
    name: 'Lee Freeman (demo login)',
    role: 'inspector',
    organisations: [],
    note: 'inspector, leads Met PEEL 2023-25',
  },
  {
    email: 'inspector.gormley@demo.followup',
    name: 'Phil Gormley (demo login)',
    role: 'inspector',
    organisations: [],
    note: 'inspector, leads the fictional Cheshire follow-up',
  },
  {
    email: 'liaison.merseyside@demo.followup',
    name: 'Demo Liaison, Merseyside Police',
    role: 'liaison',
    organisations: ['MERSEYSIDE'],
    note: 'force liaison, Merseyside',
  },
  {
    email: 'liaison.northants@demo.followup',
    name: 'Demo Liaison, Northamptonshire Police',
    role: 'liaison',
    organisations: ['NORTHANTS'],
    note: 'force liaison, Northamptonshire',
  },
  {
    email: 'liaison.met@demo.followup',
    name: 'Demo Liaison, Metropolitan Police',
    role: 'liaison',
    organisations: ['MET'],
    note: 'force liaison, Met',
  },
  {
    email: 'liaison.cheshire@demo.followup',
    name: 'Demo Liaison, Cheshire Constabulary',
    role: 'liaison',
    organisations: ['CHESHIRE'],
    note: 'force liaison, Cheshire (future deadlines)',
  },
];

// ------------------------------------------------------------------------ Merseyside NCPI 2018 and its review

const REVIEW = 'Post-inspection review (HMI Phil Gormley), Aug 2019: evidence accepted';
const mersey = (
  reference: string,
  text: string,
  owner: string,
  actions: string,
  evidence: string,
  extra: Partial<DemoRecommendation> = {},
): DemoRecommendation => ({
  reference,
  text,
  ...extra,
  followUp: {
    plan: agreed(owner, actions, '2019-03-31'),
    closure: {
      evidence: [{ title: `Merseyside Police evidence pack, rec. ${reference}`, note: evidence }],
      comment: 'Action plan complete; evidence submitted for the post-inspection review.',
      authorise: `${REVIEW}. ${evidence}`,
    },
  },
});

const merseyside2018: DemoInspection = {
  organisation: 'MERSEYSIDE',
  title: 'Merseyside Police: National Child Protection Inspection 2018',
  programme: 'NCPI',
  publishedAt: day('2018-08-30'), // action plan due in six weeks, revisit in six months (the defaults)
  lead: 'inspector.parr@demo.followup',
  liaison: 'liaison.merseyside@demo.followup',
  recommendations: [
    mersey(
      '1',
      'Make sure officers attending domestic abuse incidents observe and record the needs, behaviour and views of any children present.',
      'Head of Public Protection',
      'Update the domestic abuse attendance checklist; briefings for response teams; monthly dip-sampling.',
      "Dip samples show children's needs recorded at most domestic abuse incidents attended.",
    ),
    mersey(
      '2',
      'Assess risk to children when incidents are first reported, so that calls involving children are graded on risk rather than demand.',
      'Head of Contact Centre',
      'Refresh call-handler training on risk assessment; supervisor review of downgraded incidents involving children.',
      'Audit of graded incidents shows consistent risk assessment for calls involving children.',
    ),
    mersey(
      '3',
      'Use the information from return interviews with missing children to identify and reduce the risk of exploitation.',
      'Missing Persons Coordinator',
      'Agree a data-sharing route for return interviews with the local authorities; record outcomes on force systems.',
      'Return-interview information is shared with the force and used in missing-child risk assessments.',
    ),
    mersey(
      '4',
      'Flag suspected perpetrators and victims of child sexual exploitation consistently on force systems so that other agencies can be alerted.',
      'Head of Protecting Vulnerable People',
      'Review the 425 active CSE flags; publish a flagging standard; audit new cases quarterly.',
      'Flagging standard in place; quarterly audits show perpetrators and victims flagged consistently.',
      { timeframe: 'P3M' },
    ),
    mersey(
      '5',
      'Share intelligence about child sexual exploitation with partner agencies promptly.',
      'Head of Intelligence',
      'Add partner agencies to the CSE intelligence bulletin; agree timescales with the safeguarding partnership.',
      'Partnership minutes record timely intelligence sharing on CSE.',
    ),
    mersey(
      '6',
      'Make sure the police contribute fully to multi-agency strategy discussions about children at risk.',
      'Detective Superintendent, Public Protection',
      'Set attendance expectations for strategy discussions; track attendance monthly.',
      'Attendance records show police representation at strategy discussions.',
    ),
    mersey(
      '7',
      'Allocate child protection investigations to officers with the right skills and experience.',
      'Head of Investigations',
      'Introduce an allocation policy for child protection cases with supervisor sign-off.',
      'Reviewers found better allocation of child protection and exploitation investigations.',
    ),
    mersey(
      '8',
      'Record child protection investigations, decisions and supervision in a standard way.',
      'Head of Investigations',
      'Introduce standard recording templates and supervisory review points.',
      'Standardised recording practices seen in the cases reviewed.',
    ),
    mersey(
      '9',
      "Make sure concerns about a child's safety, including anonymous reports, are not dismissed without proper enquiries.",
      'Head of Public Protection',
      'Guidance to supervisors on anonymous reports; review of closed reports involving children.',
      'Closed reports now show enquiries made before concerns are ruled out.',
    ),
    mersey(
      '10',
      'Clear the backlog of overdue visits to registered sex offenders (98 at the time of inspection) and keep visits to schedule.',
      'Head of Management of Sexual or Violent Offenders (MOSOVO)',
      'Overtime plan for overdue visits; weekly backlog report to the chief officer group.',
      'Overdue-visit backlog cleared and weekly monitoring in place.',
      { timeframe: 'P3M' },
    ),
    mersey(
      '11',
      "Bring offender managers' workloads (up to 100 registered sex offenders each, double what inspectors would like) in line with national guidance.",
      'Head of MOSOVO',
      'Recruit additional offender managers; demand management for low-risk offenders.',
      'Investment in offender management has reduced caseloads.',
      { timeframe: 'P3M' },
    ),
    mersey(
      '12',
      'Brief neighbourhood policing teams about high and very high risk sex offenders living in their areas.',
      'Head of Neighbourhood Policing',
      'Add high-risk offender briefings to neighbourhood team briefings.',
      'Neighbourhood teams are briefed on high and very-high risk offenders in their areas.',
    ),
    mersey(
      '13',
      'Complete and review risk assessments of registered sex offenders on time.',
      'Head of MOSOVO',
      'Track assessment due dates on the offender register; supervisor review of overdue assessments.',
      'Risk assessments are completed and reviewed within the required timescales.',
    ),
    mersey(
      '14',
      'Give frontline officers the information they need about vulnerable children automatically, when they attend.',
      'Head of IT and Digital',
      "Push relevant safeguarding data to officers' mobile devices at dispatch.",
      'Relevant data now reaches frontline officers automatically.',
    ),
    mersey(
      '15',
      'Improve how referrals about vulnerable people are assessed and passed to partner agencies.',
      'Head of Public Protection',
      'Set up a Vulnerable Persons Referral Unit.',
      'A Vulnerable Persons Referral Unit has been established.',
    ),
    {
      // The one the review found still requires improvement: it stays open.
      reference: '16',
      text: 'Improve how children detained in custody are dealt with: secure appropriate adults without delay and seek local authority accommodation for children charged and refused bail.',
      timeframe: 'P3M',
      followUp: {
        plan: agreed(
          'Head of Custody',
          'Agree a protocol with the local authorities for accommodation of charged children; appropriate adult scheme out of hours; monthly review of every child held overnight.',
          '2019-03-31',
        ),
        progress: {
          rag: 'red',
          comment:
            'Post-inspection review (HMI Phil Gormley), Aug 2019: detention of children in custody still requires improvement. Recommendation remains open.',
        },
      },
    },
    mersey(
      '17',
      'Measure child protection performance by outcomes for victims rather than by counts of incidents and cases.',
      'Head of Corporate Development',
      'Design an outcome-focused performance framework for child protection.',
      'Outcome measures are reported to the force performance board.',
    ),
    mersey(
      '18',
      "Continue the force's own audit of child protection cases and act on what it finds.",
      'Head of Professional Standards',
      'Quarterly case audit with an action log owned by the public protection lead.',
      'Audit programme and action log seen, with actions completed.',
    ),
    mersey(
      '19',
      'Improve the awareness of vulnerability and safeguarding responsibilities among frontline staff and supervisors.',
      'Head of Learning and Development',
      'Vulnerability training for all frontline officers and supervisors.',
      'Training records show vulnerability training delivered across the frontline.',
    ),
  ],
};

// ------------------------------------------------------------------------------- Northamptonshire NCPI 2018

const northants2018: DemoInspection = {
  organisation: 'NORTHANTS',
  title: 'Northamptonshire Police: National Child Protection Inspection 2018',
  programme: 'NCPI',
  publishedAt: day('2018-07-26'),
  lead: 'inspector.billingham@demo.followup',
  liaison: 'liaison.northants@demo.followup',
  recommendations: [
    {
      reference: '1',
      text: 'Immediately complete the 279 outstanding mandatory visits to registered sex offenders and keep visits up to date.',
      timeframe: 'immediately',
      priority: true,
      followUp: {
        plan: agreed(
          'Head of Offender Management',
          'Temporary staff moved into the team to clear the backlog; weekly tracking.',
          '2018-10-31',
        ),
        progress: { rag: 'amber', comment: 'Backlog reducing; high-risk visits prioritised.' },
      },
    },
    {
      reference: '2',
      text: 'Resource the offender management team so that caseloads (about 80 higher-risk offenders per officer, eight times national guidelines) meet national guidance.',
      timeframe: 'P3M',
    },
    {
      reference: '3',
      text: 'Flag the addresses of registered sex offenders on the command-and-control system so that call handlers and attending officers know the risk.',
      timeframe: 'P3M',
      followUp: {
        plan: agreed(
          'Head of Force Control Room',
          'Bulk-load offender addresses as location markers; monthly reconciliation with the offender register.',
          '2018-10-31',
        ),
        progress: { rag: 'green', comment: 'Addresses loaded; reconciliation running monthly.' },
        closure: {
          comment: 'All addresses flagged; asking for closure.',
          evidence: [
            {
              title: 'Location-marker reconciliation report',
              note: 'Every managed offender address carries a marker on the command-and-control system.',
            },
          ],
        },
      },
    },
    {
      reference: '4',
      text: 'Improve the quality of child protection investigations and their supervision (34 of 81 cases examined were inadequate).',
    },
    {
      reference: '5',
      text: 'Grade calls involving children on risk, not on the demand on response teams.',
      timeframe: 'P3M',
    },
    {
      reference: '6',
      text: 'Reduce the backlog of electronic devices awaiting examination in the high-tech crime unit so that investigations are not delayed.',
    },
  ],
};

// ---------------------------------------------------------------------------------- Metropolitan PEEL 2023-25

const metPeel: DemoInspection = {
  organisation: 'MET',
  title: 'PEEL 2023-25: An inspection of the Metropolitan Police Service',
  programme: 'PEEL',
  publishedAt: day('2024-08-15'), // the seed carries no date; news reports of the report are dated 15 Aug 2024
  lead: 'inspector.freeman@demo.followup',
  liaison: 'liaison.met@demo.followup',
  recommendations: [
    {
      reference: '1',
      text: 'Immediately review the operating model of the teams that manage registered sex offenders and online child sexual abuse and exploitation, so that the risks they pose are managed effectively.',
      timeframe: 'immediately',
      priority: true,
      followUp: {
        plan: agreed(
          'Commander, Public Protection',
          'Independent review of the operating model; interim surge of officers to overdue high-risk visits.',
          '2024-11-30',
        ),
        progress: { rag: 'amber', comment: 'Review under way; interim surge in place.' },
      },
    },
    {
      reference: '2',
      text: 'Train officers and staff in managing suspects and offenders and in using the Violent and Sex Offender Register.',
      timeframe: 'P6M',
      followUp: {
        plan: agreed(
          'Head of Learning',
          'Register training for all offender managers and their supervisors.',
          '2025-01-31',
        ),
        closure: {
          comment: 'Training delivered; asking for closure.',
          evidence: [
            { title: 'Training completion report', note: 'Completion figures for offender managers and supervisors.' },
          ],
        },
      },
    },
    {
      reference: '3',
      text: 'Revise the crime allocation policy so that investigations go to officers with the right experience and decisions are consistent across the force.',
      timeframe: 'P6M',
    },
    {
      reference: '4',
      text: 'Improve the quality and supervision of investigations allocated to local teams so that victims get better outcomes.',
      timeframe: 'P6M',
    },
    {
      reference: '5',
      text: "Make sure victims are told of their rights under the Victims' Code and that those entitled to an enhanced service receive it.",
      timeframe: 'P6M',
    },
  ],
};

// ------------------------------------------------------------------------- Cheshire (FICTIONAL, future dates)

function cheshireFollowUp(now: Date): DemoInspection {
  // London calendar days, as the tracker counts them, so "14 days before" lands exactly even across a clock change.
  const daysFromNow = (days: number, minutes = 0) =>
    DateTime.fromJSDate(now).setZone(LONDON).plus({ minutes }).plus({ days }).toUTC().toISO()!;
  return {
    organisation: 'CHESHIRE',
    title: 'Cheshire Constabulary: NCPI follow-up (demo, fictional)',
    programme: 'NCPI',
    publishedAt: daysFromNow(-14), // action plan due in four weeks; revisit in about five and a half months
    lead: 'inspector.gormley@demo.followup', // fictional assignment for the demo
    liaison: 'liaison.cheshire@demo.followup',
    recommendations: [
      {
        reference: '1',
        text: 'Keep visits to registered sex offenders to schedule and report the backlog to chief officers monthly.',
        timeframe: 'P3M',
      },
      {
        reference: '2',
        text: 'Flag perpetrators and victims of child sexual exploitation consistently on force systems.',
      },
      {
        // Due 14 days and 3 minutes after seeding: its first reminder (P14D before) arrives about 3 minutes after `npm
        // start`.
        reference: '3',
        text: 'Brief neighbourhood teams about high-risk offenders living in their areas.',
        dueAt: daysFromNow(14, 3),
      },
      {
        reference: '4',
        text: 'Review how children detained in custody are accommodated overnight.',
        timeframe: 'P6M',
        priority: true,
      },
    ],
  };
}

// ------------------------------------------------------------------ Areas, for the dashboard's figures by area

/** Each report's recommendations by area (PEEL's graded areas for the Met; the NCPI's themes for the others). */
const AREAS: Record<string, Record<string, string>> = {
  MERSEYSIDE: {
    '1': 'Initial contact',
    '2': 'Initial contact',
    '3': 'Missing and exploited children',
    '4': 'Missing and exploited children',
    '5': 'Missing and exploited children',
    '6': 'Investigation',
    '7': 'Investigation',
    '8': 'Investigation',
    '9': 'Investigation',
    '10': 'Managing offenders',
    '11': 'Managing offenders',
    '12': 'Managing offenders',
    '13': 'Managing offenders',
    '14': 'Initial contact',
    '15': 'Initial contact',
    '16': 'Custody',
    '17': 'Leadership',
    '18': 'Leadership',
    '19': 'Leadership',
  },
  NORTHANTS: {
    '1': 'Managing offenders',
    '2': 'Managing offenders',
    '3': 'Managing offenders',
    '4': 'Investigation',
    '5': 'Initial contact',
    '6': 'Investigation',
  },
  MET: {
    '1': 'Managing offenders and suspects',
    '2': 'Managing offenders and suspects',
    '3': 'Investigating crime',
    '4': 'Investigating crime',
    '5': 'Supporting victims',
  },
  CHESHIRE: {
    '1': 'Managing offenders',
    '2': 'Missing and exploited children',
    '3': 'Managing offenders',
    '4': 'Custody',
  },
};

const withAreas = (inspection: DemoInspection): DemoInspection => ({
  ...inspection,
  recommendations: inspection.recommendations.map((rec) => ({
    ...rec,
    area: rec.area ?? AREAS[inspection.organisation]?.[rec.reference],
  })),
});

/** The whole dataset; `now` places the fictional current inspection. */
export function demoDataset(now: Date = new Date()): DemoDataset {
  return {
    organisations,
    users,
    inspections: [merseyside2018, northants2018, metPeel, cheshireFollowUp(now), cheshirePeelDraft(now)].map(withAreas),
  };
}
