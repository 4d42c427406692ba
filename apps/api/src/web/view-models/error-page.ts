// The words of the error pages: what happened and what a person can do, with nothing internal.

import { pageTitle } from '../page-title.js';

export interface ErrorPageModel {
  pageTitle: string;
  heading: string;
  paragraphs: string[];
  link: { href: string; text: string };
}

const HOME = { href: '/', text: 'Go to My work' };

export function errorPage(status: number): ErrorPageModel {
  switch (status) {
    case 404:
      return {
        pageTitle: pageTitle('Page not found'),
        heading: 'Page not found',
        paragraphs: ['If you typed the web address, check it is correct.', 'If you followed a link, the item may not exist or you may not have access to it.'],
        link: HOME,
      };
    case 403:
      return {
        pageTitle: pageTitle('You cannot do that'),
        heading: 'You cannot do that',
        paragraphs: [
          'You do not have access to this page, or the form you sent has expired (for example, you signed out in another tab).',
          'Go back, reload the page and try again.',
        ],
        link: HOME,
      };
    case 409:
      return {
        pageTitle: pageTitle('This has changed'),
        heading: 'This has changed',
        paragraphs: ['Someone else changed this item while you were working on it, so nothing you sent was saved.', 'Go back, reload the page to see its current state and try again.'],
        link: HOME,
      };
    case 429:
      return { pageTitle: pageTitle('Too many attempts'), heading: 'Too many attempts', paragraphs: ['Wait a few minutes, then try again.'], link: HOME };
    case 413:
      return { pageTitle: pageTitle('What you sent is too large'), heading: 'What you sent is too large', paragraphs: ['Go back and send less text.'], link: HOME };
    default:
      return {
        pageTitle: pageTitle('Sorry, there is a problem with the service'),
        heading: 'Sorry, there is a problem with the service',
        paragraphs: ['Try again later.'],
        link: HOME,
      };
  }
}
