import type { Role } from '$lib/bindings/Role';
// Test helpers; the sample DTOs themselves are built in dev/fixtures.ts,
// which the preview's mocked backend uses too.
import type { ErrorDto } from '$lib/bindings/ErrorDto';
import type { ErrorCode } from '$lib/bindings/ErrorCode';
import { session } from '$lib/session.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { status } from '../dev/fixtures';

export { status, caseDto, caseSummary, checklist, checklistItem, member, device, team, person, evidence, task, timelineEvent, referral, risk, interview, caseLink, internationalRequest, identifier, group, court, charge, measure, hearing, supportService, victimSupport, financialFlow, caseRoute, routePlace, demoRoute } from '../dev/fixtures';

export function asRole(role: Role, lang = 'en'): void {
  session.status = status(role);
  setLang(lang);
}

export function err(code: ErrorCode, kind = 'rejected'): ErrorDto {
  return { code, kind, message: `English message for ${code}` };
}

/** Delivers a message to a Channel passed to a mocked command. */
export function sendOnChannel(channel: unknown, index: number, message: unknown): void {
  const id = (channel as { id: number }).id;
  const internals = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } })
    .__TAURI_INTERNALS__;
  internals.runCallback(id, { index, message });
}
