// App-wide state: backend status, current screen, role-derived permissions.
import type { StatusDto } from '$lib/bindings/StatusDto';
import { NONE, type Perms } from '$lib/perms';

export type Screen = 'cases' | 'case' | 'sync' | 'dashboard' | 'team' | 'settings' | 'links';

export const session = $state<{ status: StatusDto | null }>({ status: null });
export const nav = $state<{ screen: Screen; caseId: string | null }>({ screen: 'cases', caseId: null });

export function go(screen: Screen, caseId: string | null = null): void {
  nav.screen = screen;
  nav.caseId = caseId;
}

export function role(): string {
  return session.status?.me?.role ?? '';
}

export function perms(): Perms {
  return session.status?.permissions ?? NONE;
}
