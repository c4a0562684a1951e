// App-wide state: backend status, current screen, role-derived permissions.
import type { StatusDto } from '$lib/bindings/StatusDto';
import { NONE, type Perms } from '$lib/perms';

export type Screen = 'cases' | 'case' | 'sync' | 'dashboard' | 'team' | 'settings' | 'map';

export const session = $state<{ status: StatusDto | null }>({ status: null });
// `tab`: the case tab to open (a map's link to a case's timeline); the
// case view takes it and clears it.
export const nav = $state<{ screen: Screen; caseId: string | null; tab: string | null }>({
  screen: 'cases',
  caseId: null,
  tab: null,
});

export function go(screen: Screen, caseId: string | null = null, tab: string | null = null): void {
  nav.screen = screen;
  nav.caseId = caseId;
  nav.tab = tab;
}

export function role(): string {
  return session.status?.me?.role ?? '';
}

export function perms(): Perms {
  return session.status?.permissions ?? NONE;
}
