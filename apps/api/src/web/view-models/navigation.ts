// The header's navigation: the pages a role may use, with the one the person is on marked as current.
import { Role } from '#domain';

export interface NavigationItem {
  href: string;
  text: string;
  /** The person is in this section. */
  active: boolean;
  /** The person is on this very page (aria-current="page"). */
  current: boolean;
}

const ALL_ROLES: readonly Role[] = [Role.Admin, Role.Manager, Role.Inspector, Role.Liaison];
const OVERSIGHT: readonly Role[] = [Role.Admin, Role.Manager, Role.Inspector];

/** Who may open each page, as docs/contracts/web-contract.md says; the pages' own access rules enforce it. */
const PAGES: readonly { href: string; text: string; roles: readonly Role[] }[] = [
  { href: '/', text: 'My work', roles: ALL_ROLES },
  { href: '/inspections', text: 'Inspections', roles: ALL_ROLES },
  { href: '/overdue', text: 'Overdue', roles: OVERSIGHT },
  { href: '/dashboard', text: 'Dashboard', roles: OVERSIGHT },
  { href: '/import', text: 'Import', roles: [Role.Admin, Role.Inspector] },
  { href: '/account', text: 'Account', roles: ALL_ROLES },
  { href: '/admin', text: 'Admin', roles: [Role.Admin] },
];

/** A page is current on its own path and the paths under it (`/admin/users/new` is under Admin); `/` only on itself. */
function isCurrent(href: string, path: string): boolean {
  if (href === '/') return path === '/';
  return path === href || path.startsWith(`${href}/`) || path.startsWith(`${href}.`);
}

export function navigationFor(role: string, path: string): NavigationItem[] {
  return PAGES.filter((page) => page.roles.includes(role as Role)).map((page) => ({
    href: page.href,
    text: page.text,
    active: isCurrent(page.href, path),
    current: page.href === path,
  }));
}
