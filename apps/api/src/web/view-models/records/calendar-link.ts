// The calendar-feed block of `/account` (partials/calendar-link.njk): a new link is shown once, right after it is made.
import type { Request } from 'express';

declare module 'express-session' {
  interface SessionData {
    /** The feed URL just made by `Replace calendar link`: shown once, then forgotten (only its hash is stored). */
    newCalendarUrl: string;
  }
}

export interface CalendarLinkModel {
  /** The new link, on the page shown right after making it; null otherwise. */
  newUrl: string | null;
  hasLink: boolean;
  /** Where the form returns to. */
  returnTo: string;
}

/** Call when rendering a page that includes the partial; takes the one-time link out of the session. */
export function calendarLinkModel(req: Request, hasLink: boolean, returnTo: string): CalendarLinkModel {
  const newUrl = req.session?.newCalendarUrl ?? null;
  if (newUrl) delete req.session.newCalendarUrl;
  return { newUrl, hasLink: hasLink || newUrl !== null, returnTo };
}
