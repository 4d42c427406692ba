// The words of the error pages: what happened and what a person can do, with nothing internal.
import { pageTitle } from '../page-title.js';

export interface ErrorPageModel {
  pageTitle: string;
  heading: string;
  paragraphs: string[];
  link: { href: string; text: string };
}

const HOME = { href: '/', text: 'Go to My work' };

/** The page for each status a person may meet; any other status is a problem with the service. */
const PAGES: Readonly<Record<number, { heading: string; paragraphs: readonly string[] }>> = {
  404: {
    heading: 'Page not found',
    paragraphs: [
      'If you typed the web address, check it is correct.',
      'If you followed a link, the item may not exist or you may not have access to it.',
    ],
  },
  409: {
    heading: 'This has changed',
    paragraphs: [
      'Someone else changed this item while you were working on it, so nothing you sent was saved.',
      'Go back, reload the page to see its current state and try again.',
    ],
  },
  429: { heading: 'Too many attempts', paragraphs: ['Wait a few minutes, then try again.'] },
  413: { heading: 'What you sent is too large', paragraphs: ['Go back and send less text, or a smaller file.'] },
  400: {
    heading: 'The form could not be read',
    paragraphs: ['It may have been cut off while it was being sent.', 'Go back and try again.'],
  },
  415: {
    heading: 'The form could not be read',
    paragraphs: ['It was sent in a way this page does not take.', 'Go back, reload the page and try again.'],
  },
};

const SERVICE_PROBLEM = { heading: 'Sorry, there is a problem with the service', paragraphs: ['Try again later.'] };

/** A 403 says which of the two happened: the person may not see the page, or the form they sent had expired. */
const FORM_EXPIRED = {
  heading: 'The form has expired',
  paragraphs: [
    'Nothing you sent was saved: the form was too old to accept (for example, you signed out in another tab, or left the page open for a long time).',
    'Go back, reload the page and try again.',
  ],
};
const NO_ACCESS = {
  heading: 'You do not have access to this page',
  paragraphs: [
    'Your role does not allow you to see this page or do this.',
    'If you think you should have access, contact your administrator.',
  ],
};

export function errorPage(status: number, reason?: 'form_expired'): ErrorPageModel {
  const { heading, paragraphs } =
    status === 403 ? (reason === 'form_expired' ? FORM_EXPIRED : NO_ACCESS) : (PAGES[status] ?? SERVICE_PROBLEM);
  return { pageTitle: pageTitle(heading), heading, paragraphs: [...paragraphs], link: HOME };
}
