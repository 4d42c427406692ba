// What a refused or failed single sign-on says: what happened and whom to ask, in plain words (the error page's
// layout).
import type { SsoRefusal } from '#application';
import { pageTitle } from '../page-title.js';
import type { ErrorPageModel } from './error-page.js';

const ASK =
  'Ask the administrators of Follow-up Tracker (the team that manages who may use it, usually through your organisation’s IT service desk) to give your organisation account access.';
const BACK = { href: '/sign-in', text: 'Go back to sign in' };

const REFUSALS: Record<SsoRefusal | 'failed' | 'expired' | 'unavailable', { heading: string; paragraphs: string[] }> = {
  unmapped: {
    heading: 'You do not have access to Follow-up Tracker',
    paragraphs: ['Your organisation account is not in any group that gives access to this service.', ASK],
  },
  'no-forces': {
    heading: 'You do not have access to Follow-up Tracker',
    paragraphs: ['Your organisation account’s groups name forces that this service does not hold yet.', ASK],
  },
  deactivated: {
    heading: 'Your account has been deactivated',
    paragraphs: [
      'An administrator has turned off your access to Follow-up Tracker, or you were removed from the groups that gave it.',
      'Ask the administrators of Follow-up Tracker if you need access again.',
    ],
  },
  'no-email': {
    heading: 'Your organisation account has no email address',
    paragraphs: [
      'Follow-up Tracker sends reminders by email, so it needs the email address of your organisation account.',
      'Ask your organisation’s IT service desk to add one, or the administrators of Follow-up Tracker for help.',
    ],
  },
  'email-taken': {
    heading: 'There is already an account with your email address',
    paragraphs: [
      'Follow-up Tracker already has an account with this email address that signs in with a password, so it has not joined your organisation account to it.',
      'Sign in with your email address and password, or ask the administrators of Follow-up Tracker to move the account to single sign-on.',
    ],
  },
  failed: {
    heading: 'Sorry, you could not be signed in',
    paragraphs: [
      'The answer from your organisation’s sign-in service could not be checked, so nobody has been signed in.',
      'Try signing in again. If it happens again, tell the administrators of Follow-up Tracker.',
    ],
  },
  expired: {
    heading: 'Your sign-in has expired',
    paragraphs: [
      'Signing in took too long, or began in another browser, so nobody has been signed in.',
      'Start again from the sign-in page.',
    ],
  },
  unavailable: {
    heading: 'Single sign-on is not available right now',
    paragraphs: [
      'Follow-up Tracker cannot reach your organisation’s sign-in service at the moment.',
      'Try again in a few minutes.',
    ],
  },
};

export function singleSignOnProblem(kind: keyof typeof REFUSALS): ErrorPageModel {
  const { heading, paragraphs } = REFUSALS[kind];
  return { pageTitle: pageTitle(heading), heading, paragraphs, link: BACK };
}
