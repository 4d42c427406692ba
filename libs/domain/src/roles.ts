// The four roles a person can hold.
export const Role = { Admin: 'admin', Manager: 'manager', Inspector: 'inspector', Liaison: 'liaison' } as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ALL_ROLES: readonly Role[] = Object.values(Role);
