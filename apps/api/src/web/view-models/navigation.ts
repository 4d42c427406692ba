// The service navigation in the header: the sections a role may open, the current one marked.
import { Role } from '#domain';

export interface NavigationItem {
  href: string;
  text: string;
  active: boolean;
}

const SECTIONS: { href: string; text: string; roles: readonly Role[] }[] = [
  { href: '/', text: 'My work', roles: [Role.Admin, Role.Manager, Role.Inspector, Role.Liaison] },
  { href: '/inspections', text: 'Inspections', roles: [Role.Admin, Role.Manager, Role.Inspector, Role.Liaison] },
  { href: '/overdue', text: 'Overdue', roles: [Role.Admin, Role.Manager, Role.Inspector] },
  { href: '/account', text: 'Your account', roles: [Role.Admin, Role.Manager, Role.Inspector, Role.Liaison] },
];

export function navigationFor(role: string, path: string): NavigationItem[] {
  return SECTIONS.filter((s) => s.roles.includes(role as Role)).map((s) => ({
    href: s.href,
    text: s.text,
    active: s.href === '/' ? path === '/' : path === s.href || path.startsWith(`${s.href}/`) || path.startsWith(`${s.href}.`),
  }));
}
