// Test data shaped exactly like the backend's DTOs.
import type { StatusDto } from '$lib/bindings/StatusDto';
import type { CaseDto } from '$lib/bindings/CaseDto';
import type { PersonDto } from '$lib/bindings/PersonDto';
import type { ChecklistDto } from '$lib/bindings/ChecklistDto';
import type { ErrorDto } from '$lib/bindings/ErrorDto';
import { session } from '$lib/session.svelte';
import { setLang } from '$lib/i18n/index.svelte';

export function status(role: string | null, over: Partial<StatusDto> = {}): StatusDto {
  return {
    vault_dir: '/home/a/.local/share/caravan/vault',
    vault_exists: true,
    unlocked: true,
    has_team: role !== null,
    pending_join: null,
    me: role ? { id: 'm-me', name: 'Aigerim', role, devices: [] } : null,
    team_name: role ? 'Almaty unit' : null,
    settings: { auto_lock_minutes: 5, language: 'en' },
    demo: false,
    ...over,
  };
}

export function asRole(role: string, lang = 'en'): void {
  session.status = status(role);
  setLang(lang);
}

export function err(code: string, kind = 'rejected'): ErrorDto {
  return { code, kind, message: `English message for ${code}` };
}

export const victim: PersonDto = {
  id: 'p1',
  kind: 'victim',
  pseudonym: 'V-01',
  masked: true,
  status: 'possible',
  sex: 'female',
  age_at_trafficking: 19,
  citizenship: 'UZ',
  exploitation: ['forced_labour'],
  control_methods: [],
  roles: [],
  relation: null,
  recorded_at: Date.UTC(2026, 0, 5),
  recorded_by: { id: 'm-me', name: 'Aigerim' },
};

export function caseDto(over: Partial<CaseDto> = {}): CaseDto {
  return {
    id: 'c1',
    reference: 'ALM-2026-014',
    title: 'Brick kiln, Kaskelen',
    jurisdiction: 'KZ',
    status: 'active',
    created_at: Date.UTC(2026, 0, 2),
    created_by: { id: 'm-me', name: 'Aigerim' },
    narrative: '',
    qualification: [],
    stages: [],
    assignment: { investigators: [], prosecutor: null, supervisor: null },
    people: [victim],
    evidence: [],
    interviews: [],
    tasks: [],
    timeline: [],
    referrals: [],
    risks: [],
    notes: [],
    review: [],
    approvals: [],
    progress_percent: 10,
    stage_progress: [],
    conflicts: 0,
    ...over,
  };
}

export function checklist(over: Partial<ChecklistDto> = {}): ChecklistDto {
  return {
    template_id: 'initial-actions',
    version: 1,
    newer_version: null,
    template_unknown: false,
    stage: 'initial_response',
    title: 'Initial actions',
    items: [
      {
        id: 'safety',
        kind: 'action',
        required: true,
        text: 'Immediate safety and medical needs addressed',
        source: 'UNODC manual M5',
        status: 'open',
        reason: null,
        note: null,
        evidence_ids: [],
        signoff_needed: null,
        signed_off_by: null,
      },
    ],
    required: 1,
    required_resolved: 0,
    ...over,
  };
}

/** Delivers a message to a Channel passed to a mocked command. */
export function sendOnChannel(channel: unknown, index: number, message: unknown): void {
  const id = (channel as { id: number }).id;
  const internals = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } })
    .__TAURI_INTERNALS__;
  internals.runCallback(id, { index, message });
}
