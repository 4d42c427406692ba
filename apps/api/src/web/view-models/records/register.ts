// The public register pages' view models: forces, then one force's published recommendations with their lineage.
import type { ForceRegister, RegisterForce } from '#application';
import { calendarDate, outcomeText, statusTag } from '../format.js';
import { pageTitle } from '../../page-title.js';

export function registerListModel(forces: RegisterForce[]) {
  return {
    pageTitle: pageTitle('Public register of recommendations'),
    forces: forces.map((f) => ({ ...f, href: `/register/${encodeURIComponent(f.code)}` })),
  };
}

export function registerModel(register: ForceRegister) {
  const code = encodeURIComponent(register.organisation.code);
  const referenceOf = new Map(
    register.inspections.flatMap((i) => i.recommendations.map((r) => [r.id, `${r.reference} (${i.title})`] as const)),
  );
  const link = (id: string) => ({
    href: `#rec-${id}`,
    text: referenceOf.get(id) ?? 'a recommendation of another force',
    known: referenceOf.has(id),
  });
  return {
    pageTitle: pageTitle(register.organisation.name, 'Public register'),
    backLink: { href: '/register', text: 'All forces' },
    organisation: register.organisation,
    jsonHref: `/register/${code}.json`,
    csvHref: `/register/${code}.csv`,
    inspections: register.inspections.map((i) => ({
      title: i.title,
      programme: i.programme,
      published: calendarDate(i.publishedDate),
      recommendations: i.recommendations.map((r) => ({
        anchor: `rec-${r.id}`,
        reference: r.reference,
        text: r.text,
        area: r.area ?? '',
        status: statusTag(r.status),
        outcome: outcomeText(r.outcome),
        due: calendarDate(r.dueDate),
        changes: r.statusChanges.map((c) => `${calendarDate(c.date)}: ${statusTag(c.status).text}`),
        supersededBy: r.supersededById ? link(r.supersededById) : null,
        supersedes: r.supersedes.map(link),
      })),
    })),
  };
}
