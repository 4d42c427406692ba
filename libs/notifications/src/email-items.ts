// An email's recommendations in the order people read them, and the link to each.
import type { EmailItem } from './email-content.js';

export function recommendationLink(appBaseUrl: string, recommendationId: string): string {
  return `${appBaseUrl.replace(/\/+$/, '')}/recommendations/${encodeURIComponent(recommendationId)}`;
}

/** References as people count them: 2 before 10. */
const byReference = new Intl.Collator('en-GB', { numeric: true });

/**
 * One entry per recommendation (an email counts recommendations, not deadlines), each with its deadlines
 * soonest first and no repeats; entries by first deadline, force, inspection, then reference as people count.
 */
export function groupedItems(items: readonly EmailItem[]): EmailItem[][] {
  const groups = new Map<string, EmailItem[]>();
  for (const item of items) {
    const group = groups.get(item.recommendationId) ?? [];
    const same = (other: EmailItem) =>
      other.deadlineType === item.deadlineType && other.deadlineAt.getTime() === item.deadlineAt.getTime();
    if (!group.some(same)) group.push(item);
    groups.set(item.recommendationId, group);
  }
  const byDeadline = (a: EmailItem, b: EmailItem) => a.deadlineAt.getTime() - b.deadlineAt.getTime();
  return [...groups.values()]
    .map((group) => group.sort(byDeadline))
    .sort(
      (a, b) =>
        byDeadline(a[0], b[0]) ||
        a[0].organisationName.localeCompare(b[0].organisationName, 'en-GB') ||
        a[0].inspectionTitle.localeCompare(b[0].inspectionTitle, 'en-GB') ||
        byReference.compare(a[0].reference, b[0].reference),
    );
}
