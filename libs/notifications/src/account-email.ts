// Invitation and password-reset emails: subject, text and HTML (Handlebars), with the one-time link.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { formatDeadline } from './render-email.js';

export type AccountEmailPurpose = 'invitation' | 'password_reset';

export interface AccountEmailContent {
  purpose: AccountEmailPurpose;
  name: string;
  email: string;
  /** The one-time link (`APP_BASE_URL/invitations/<token>` or `/reset-password/<token>`). */
  link: string;
  expiresAt: Date;
  appBaseUrl: string;
  /** The person will be asked to set up two-factor sign-in. */
  mfa: boolean;
}

const TEMPLATES_DIR = new URL('./templates/account/', import.meta.url);
const hb = Handlebars.create();
const cache = new Map<AccountEmailPurpose, { html: Handlebars.TemplateDelegate; text: Handlebars.TemplateDelegate }>();

const SUBJECTS: Record<AccountEmailPurpose, string> = {
  invitation: 'Your Follow-up Tracker account: choose your password',
  password_reset: 'Reset your Follow-up Tracker password',
};

/** The path of a one-time link's page. */
export function accountLinkPath(purpose: AccountEmailPurpose, token: string): string {
  return `/${purpose === 'invitation' ? 'invitations' : 'reset-password'}/${token}`;
}

export function renderAccountEmail(content: AccountEmailContent): { subject: string; text: string; html: string } {
  let templates = cache.get(content.purpose);
  if (!templates) {
    // The text part is plain text: no HTML escaping there.
    const read = (part: string) =>
      hb.compile(readFileSync(new URL(`${content.purpose}.${part}.hbs`, TEMPLATES_DIR), 'utf8'), {
        strict: true,
        noEscape: part === 'text',
      });
    templates = { html: read('html'), text: read('text') };
    cache.set(content.purpose, templates);
  }
  const view = {
    subject: SUBJECTS[content.purpose],
    name: content.name,
    email: content.email,
    link: content.link,
    expires: formatDeadline(content.expiresAt),
    signInUrl: `${content.appBaseUrl.replace(/\/+$/, '')}/sign-in`,
    mfa: content.mfa,
  };
  return { subject: view.subject, html: templates.html(view), text: templates.text(view) };
}
