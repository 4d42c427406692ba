// Words for decision emails: what was decided, and a recommendation's short title.
import type { EmailDecision } from './email-content.js';

/** What the decision was, as a sentence's subject: "Closure returned to the force". */
export function decisionHeading(decision: Pick<EmailDecision, 'action' | 'outcome'>): string {
  switch (decision.action) {
    case 'return':
      return 'Closure returned to the force';
    case 'authorise_closure':
      return 'Closure authorised: closed as implemented';
    case 'close':
      return decision.outcome === 'superseded' ? 'Closed as superseded' : 'Closed without implementation';
    case 'reopen':
      return 'Reopened';
    default:
      return 'Decision recorded';
  }
}

/** Shorter, for a subject line: "closure returned". */
export function decisionShort(decision: Pick<EmailDecision, 'action' | 'outcome'>): string {
  switch (decision.action) {
    case 'return':
      return 'closure returned';
    case 'authorise_closure':
      return 'closure authorised';
    case 'close':
      return decision.outcome === 'superseded' ? 'closed as superseded' : 'closed without implementation';
    case 'reopen':
      return 'reopened';
    default:
      return 'decision recorded';
  }
}

const TITLE_MAX = 70;

/** A recommendation's first sentence, cut at a word near TITLE_MAX characters: a title for an email to name it by. */
export function shortTitle(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const sentence = /^(.+?[.!?])(\s|$)/.exec(flat)?.[1] ?? flat;
  const candidate = sentence.replace(/[.!?]$/, '');
  if (candidate.length <= TITLE_MAX) return candidate;
  const cut = candidate.slice(0, TITLE_MAX + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_MAX / 2 ? cut.slice(0, space) : cut.slice(0, TITLE_MAX)).replace(/[,;:]$/, '')}…`;
}
