import type { Role } from '$lib/bindings/Role';
// A mocked backend for `npm run dev` → /preview.html: the UI with made-up
// data and no desktop shell. Never part of the production build.
import { mockIPC } from '@tauri-apps/api/mocks';
import type { StatusDto } from '$lib/bindings/StatusDto';
import type { CaseView } from '$lib/bindings/CaseView';
import type { ChecklistView } from '$lib/bindings/ChecklistView';
import type { ItemView } from '$lib/bindings/ItemView';
import type { ProgressReport } from '$lib/bindings/ProgressReport';
import type { ConflictView } from '$lib/bindings/ConflictView';
import type { QuarantineRow } from '$lib/bindings/QuarantineRow';
import type { LanStatusDto } from '$lib/bindings/LanStatusDto';
import type { RelayView } from '$lib/bindings/RelayView';
import { caseRoute, demoRoute, routePlace, caseDto, caseSummary, charge, checklist, checklistItem, court, device, hearing, measure, member, person, status as statusDto, supportService, team as teamDto, victimSupport, financialFlow } from './fixtures';
import { mockLinkGraph, mockLinkSize } from './linkFixtures';

const params = new URLSearchParams(location.search);
const role = (params.get('role') ?? 'admin') as Role;
const lang = params.get('lang') ?? 'en';
const day = 86_400_000;
const now = Date.UTC(2026, 10, 20, 9, 30);

const me = member({ id: 'm-saule', name: 'Saule Nurlanovna', role });
let status: StatusDto = statusDto(role, {
  vault_dir: '/home/saule/.local/share/caravan/vault',
  vault_exists: params.get('first') !== '1',
  unlocked: params.get('locked') !== '1' && params.get('first') !== '1',
  has_team: true,
  me,
  team_name: 'Almaty TIP unit',
  settings: { auto_lock_minutes: 5, language: lang },
  demo: params.get('demo') === '1',
});

const team = teamDto({
  id: 'team-7f3a9c21d4e8',
  fingerprint: '04213 55120 09876 31877 60012 47751',
  name: 'Almaty TIP unit',
  me,
  device: 'dev-saule',
  key_epoch: 2,
  members: [
    me,
    member({ id: 'm-aibek', name: 'Aibek Dzhaksybekov', devices: [
      device({ id: 'dev-aibek', fingerprint: 'K7QM-2XPA-91RD-LL4C', label: 'Field laptop 3', enrolled_at: now - 40 * day }),
      device({ id: 'dev-aibek-old', fingerprint: 'Z2WE-8HYT-03PK-QQ7N', label: 'Stolen laptop', enrolled_at: now - 200 * day, revoked: true }),
    ] }),
    member({ id: 'm-gulnara', name: 'Gulnara Ismoilova', role: 'prosecutor', devices: [
      device({ id: 'dev-gul', fingerprint: 'P0RT-4MNB-77VC-XZ1A', label: 'Prosecutor office', enrolled_at: now - 30 * day }),
    ] }),
  ],
});

const summaries = [
  caseSummary({ id: 'c1', reference: 'KZ-2026-0142', title: 'Construction site, Kaskelen',
    assignees: ['m-aibek'], updated_at_ms: now - 2 * 3_600_000, progress_percent: 38, overdue_tasks: 2, overdue_international: 1, measure_alerts: 1, conflicts: 1 }),
  caseSummary({ id: 'c2', reference: 'KZ-2026-0117', title: 'Sauna, Almaty Medeu district', stage: 'evidence',
    assignees: ['m-aibek'], updated_at_ms: now - 3 * day, progress_percent: 64 }),
  caseSummary({ id: 'c3', reference: 'UZ-2026-0031', title: 'Cotton harvest recruitment, Jizzakh', stage: 'prosecution_review', status: 'follow_up', jurisdiction: 'UZ',
    updated_at_ms: now - 9 * day, progress_percent: 91 }),
];

function item(id: string, text: string, source: string, extra: Partial<ItemView> = {}) {
  return checklistItem({ id, text, source, ...extra });
}

let quarantined: QuarantineRow[] = [{ case_id: 'c1-9a8b7c6d', change: 'f00dbabe12345678', author: 'dev-timur', author_name: 'Timur Bekov', relayed_by: 'dev-aibek', relayed_by_name: 'Aibek Dzhaksybekov', code: 'sync.revoked_device', message: 'from a revoked device', arrived_at_ms: Date.now() - 3_600_000 }];
let lists: ChecklistView[] = [
  checklist({ key: 'initial-actions~p1', person_id: 'p1', person: 'V-1', per_victim: true, required: 4, required_resolved: 2, items: [
    item('safety', 'Immediate safety and medical needs addressed', 'UNODC M5', { status: 'done' }),
    item('child', 'Possible child: treated as a child until an age assessment shows otherwise', 'UNODC M5', { status: 'not_applicable', reason: 'Adult: passport checked' }),
    item('interpreter', 'Interpreter with no ties to the case arranged', 'UNODC M10'),
    item('nrm', 'National referral mechanism focal point notified', 'OSCE NRM', { signoff_needed: 'supervisor' }),
  ] }),
  checklist({ template_id: 'identification-labour', key: 'identification-labour~p1', person_id: 'p1', person: 'V-1', per_victim: true, newer_version: 2, stage: 'identification', title: 'Indicators — labour exploitation', required: 0, required_resolved: 0, items: [
    item('housing', 'Lives in a group at the workplace', 'UNODC indicators', { kind: 'indicator', required: false, status: 'done' }),
    item('contract', 'No written contract', 'UNODC indicators', { kind: 'indicator', required: false }),
    item('deductions', 'Deductions for tools, food or housing', 'UNODC indicators', { kind: 'indicator', required: false }),
  ] }),
];

const aibek = { id: 'm-aibek', name: 'Aibek Dzhaksybekov' };

const theCase = (): CaseView => caseDto({
  reference: 'KZ-2026-0142', title: 'Construction site, Kaskelen',
  created_at: now - 20 * day, created_by: aibek,
  narrative: 'Signal from the labour inspectorate: twelve workers from Uzbekistan housed on site, passports held by the foreman.',
  qualification: [
    {
      key: 'KZ-2014-128:2',
      article: { jurisdiction: 'KZ', code_year: 2014, article: '128', part: '2', paragraph: null, in_force_from: '2015-01-01' },
      titles: { en: 'Trafficking in persons', ru: 'Торговля людьми' },
      related: false,
      verified: true,
    },
  ],
  qualification_opinions: [],
  prosecutor_qualifies: true,
  stages: [
    { stage: 'intake', status: 'closed', opened_at: now - 20 * day, closed_at: now - 19 * day, gate: { ready: true, missing_items: [], missing_signoffs: [], not_applicable_unsigned: [], unknown_templates: [], people: [] } },
    { stage: 'initial_response', status: 'active', opened_at: now - 19 * day, closed_at: null, gate: { ready: false, missing_items: ['initial-actions/interpreter', 'initial-actions/nrm'], missing_signoffs: ['supervisor'], not_applicable_unsigned: [], unknown_templates: [], people: [] } },
    { stage: 'identification', status: 'active', opened_at: now - 10 * day, closed_at: null, gate: { ready: true, missing_items: [], missing_signoffs: [], not_applicable_unsigned: [], unknown_templates: [], people: [] } },
  ],
  assignment: {
    investigators: [aibek],
    prosecutor: { id: 'm-gulnara', name: 'Gulnara Ismoilova' },
    supervisor: { id: 'm-saule', name: 'Saule Nurlanovna' },
    reviewers: [{ member: { id: 'm-gulnara', name: 'Gulnara Ismoilova' }, has_access: true, entries: 1, last_entry_at: Date.UTC(2026, 0, 20) }],
  },
  people: [
    person({ pseudonym: 'V-1', sex: 'masculine', age_at_trafficking: 24, control_methods: ['withholds_documents', 'debt_bondage'], forced_labour_industry: 'f_construction', relationship_to_trafficker: 'acquainted', recruitment_methods: ['through_online_social_networks'], recruitment_websites: ['telegram'], recorded_at: now - 18 * day, recorded_by: aibek,
      support: victimSupport({ reflection_from: '2026-11-02', reflection_until: '2026-12-02', residence_decision: 'pending', return_country: 'UZ', reintegration_status: 'planned', reflection_alert: 'ending' }) }),
    person({ id: 'p2', kind: 'suspect', pseudonym: 'S-1', status: null, sex: 'masculine', age_at_trafficking: null, citizenships: ['KZ'], exploitation: [], roles: ['exploiter'], relation: 'foreman', recorded_at: now - 17 * day, recorded_by: aibek }),
  ],
  evidence: [
    { id: 'e1', label: 'Phone, Samsung A14', kind: 'phone', description: 'Seized from the foreman', seized_at: now - 15 * day, seized_by: 'Aibek Dzhaksybekov', seized_from: 'S-1', location: 'Site office', seal_number: 'AL-0042',
      attachment: { sha256: '9f2c4e1a7b0d3c58e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70', file_name: 'seal AL-0042.jpg', media_type: 'image/jpeg', size: 284_113 }, holder: 'Evidence room, Almaty DVD',
      custody: [
        { id: 'k1', from: 'Aibek Dzhaksybekov', to: 'Forensic lab', at: now - 14 * day, place: 'Almaty', seal_number: 'AL-0042', purpose: 'Imaging', recorded_by: aibek, recorded_at: now - 13 * day },
        { id: 'k2', from: 'Forensic lab', to: 'Evidence room, Almaty DVD', at: now - 9 * day, place: 'Almaty', seal_number: 'AL-0043', purpose: null, recorded_by: aibek, recorded_at: now - 9 * day },
      ], recorded_by: aibek },
  ],
  interviews: [{ id: 'i1', person_id: 'p1', stage: 'planning', planned_for: '2026-11-25', venue: 'Shelter interview room', interpreter: 'Uzbek interpreter (court list)', interpreter_vetted: true, consent_given: true, child_track: false, plan: 'P: welfare check, breaks every 40 min.\nE: explain role and confidentiality.\nA: free recall, then recruitment and debts.' }],
  tasks: [
    { id: 't1', title: 'Request bank records of the employer', assignee: aibek, due: '2026-11-10', stage: 'financial', done: false, overdue: true },
    { id: 't2', title: 'Arrange vetted interpreter', assignee: aibek, due: '2026-11-15', stage: 'initial_response', done: false, overdue: true },
    { id: 't3', title: 'Notify NRM focal point', assignee: null, due: null, stage: 'referral', done: true, overdue: false },
  ],
  timeline: [
    { id: 'ev1', kind: 'recruitment', date: '2026-03-02', place: 'Jizzakh', country: 'UZ', description: 'Offer via Telegram group, 600 USD a month', latitude: null, longitude: null, crosses_border: null, border_point: null, transport: null },
    { id: 'ev2', kind: 'transit', date: '2026-03-09', place: 'Zhibek Zholy', country: 'KZ', description: 'Crossed by minibus with the recruiter', latitude: 41.366389, longitude: 69.113611, crosses_border: true, border_point: 'Zhibek Zholy checkpoint', transport: 'road' },
  ],
  referrals: [{ id: 'r1', person_id: 'p1', direction: 'outgoing', organisation: 'Shelter "Sana Sezim"', date: '2026-11-02', reason: 'Accommodation and medical care', outcome: null, organisation_type: 'shelter', htcds_reason: 'additional_services_required', status: 'accepted', consent_given: true, consent_date: '2026-11-01' }],
  risks: [
    { id: 'rk1', subject: 'victim', person_id: 'p1', threat: 'Foreman’s relatives contact the family', severity: 4, likelihood: 4, level: 16, mitigation: 'Safety plan; family informed', review_on: '2026-12-01' },
    { id: 'rk2', subject: 'investigation', person_id: null, threat: 'Phone data wiped remotely', severity: 3, likelihood: 2, level: 6, mitigation: 'Faraday bag', review_on: null },
  ],
  notes: [{ id: 'n1', body: 'Foreman claims the passports were “kept safe” at the workers’ request.', recorded_at: now - 5 * day, recorded_by: aibek }],
  review: [{ id: 'rv1', kind: 'request', stage: 'interviews', text: 'Interview two more workers who left in October.', by: { id: 'm-gulnara', name: 'Gulnara Ismoilova' }, at: now - 2 * day }],
  approvals: [],
  links: [{ id: 'l1', case_id: 'c2', reference: 'KZ-2026-0097', relation: 'same_suspect', note: 'S-1 recruited for a greenhouse in Esik', openable: true, recorded_at: now - 3 * day, recorded_by: aibek }],
  international_requests: [
    { id: 'ir1', kind: 'mutual_legal_assistance', notice: null, requested_state: 'UZ', legal_basis: 'chisinau2002', central_authority: 'Prosecutor General’s Office of Uzbekistan', subject: 'Bank records and questioning of the recruiter in Jizzakh', sent_on: '2026-10-01', deadline: '2026-11-15', status: 'sent', response_on: null, open: true, overdue: true },
  ],
  identifiers: [
    { id: 'id1', kind: 'phone', platform: 'Telegram', person_id: 'p2', person: 'S-1', source: 'V-1’s phone, messages of March', note: null, recorded_at: now - 4 * day, recorded_by: aibek },
  ],
  groups: [
    { id: 'g1', name: 'Jizzakh–Kaskelen recruiters', description: 'Recruits in Jizzakh for construction sites near Almaty', members: [{ person_id: 'p2', pseudonym: 'S-1', role: 'organiser', superior: null }], countries: ['UZ', 'KZ'], recorded_at: now - 3 * day, recorded_by: aibek },
  ],
  court: court({
    registry_number: '261500031000123',
    statuses: [{ person_id: 'p2', status: 'accused', since: '2026-11-12' }],
    decisions: [{ id: 'pd1', person_id: 'p2', status: 'accused', decided_on: '2026-11-12', reference: '№ 14/2026', recorded_by: aibek }],
    measures: [measure({ person_id: 'p2', from: '2026-10-01', until: '2026-11-25', alert: 'expiring' })],
    charges: [charge({ person_id: 'p2', brought_on: '2026-11-12' })],
    hearings: [hearing({ date: '2026-12-02', kind: 'preliminary', measures_granted: ['video_link', 'no_face_to_face'] })],
    measure_alerts: 1,
  }),
  support: [
    supportService({ id: 'sp1', kind: 'health', provider: 'City hospital No. 4', started_on: '2026-11-03', recorded_by: aibek }),
    supportService({ id: 'sp2', kind: 'legal', provider: 'Legal aid centre', referral_id: 'r1', status: 'planned', started_on: null, recorded_by: aibek }),
  ],
  reflection_alerts: 1,
  finance: {
    flows: [
      financialFlow({ from: { person_id: null, label: 'Almaty site office' }, to: { person_id: 'p2', label: 'S-1' }, note: 'V-1’s wages for September, paid to the recruiter' }),
      financialFlow({ id: 'ff2', kind: 'informal_transfer', from: { person_id: 'p2', label: 'S-1' }, to: { person_id: null, label: 'Hawaladar in Jizzakh' }, institution: null, has_account: false, amount: 2000, currency: 'USD', date: '2026-10-02', source: 'witness', freeze: 'not_frozen', freeze_ordered_on: null }),
    ],
    totals: [{ currency: 'KZT', moved: 450000, held: 450000, confiscated: 0 }, { currency: 'USD', moved: 2000, held: 0, confiscated: 0 }],
  },
  progress_percent: 38,
  stage_progress: [
    { stage: 'initial_response', status: 'active', items: 4, done: 1, not_applicable: 1, required: 4, required_resolved: 2, percent: 50 },
    { stage: 'identification', status: 'active', items: 3, done: 1, not_applicable: 0, required: 0, required_resolved: 0, percent: 33 },
  ],
  person_progress: [
    { person_id: 'p1', person: 'V-1', template_id: 'initial-actions', stage: 'initial_response', key: 'initial-actions~p1', required: 4, required_resolved: 2, percent: 50 },
    { person_id: 'p1', person: 'V-1', template_id: 'identification-general', stage: 'identification', key: null, required: 4, required_resolved: 0, percent: 0 },
    { person_id: 'p1', person: 'V-1', template_id: 'identification-labour', stage: 'identification', key: 'identification-labour~p1', required: 0, required_resolved: 0, percent: 100 },
  ],
  conflicts: 1,
});

const conflicts = (reveal: boolean): ConflictView[] => [
  { case_id: 'c1', path: 'header/title', sensitive: false, values: [
    { choice: 'a', value: 'Kaskelen construction site', author: 'm-aibek', author_name: 'Aibek Dzhaksybekov', shown_now: false },
    { choice: 'b', value: 'Labour exploitation at Kaskelen', author: 'm-saule', author_name: 'Saule Nurlanovna', shown_now: true },
  ] },
  { case_id: 'c1', path: 'victims/p1/identity/full_name', sensitive: true, values: [
    { choice: 'c', value: reveal ? 'Rustam Aliev' : null, author: 'm-aibek', author_name: 'Aibek Dzhaksybekov', shown_now: true },
    { choice: 'd', value: reveal ? 'Rustam Aliyev' : null, author: 'm-saule', author_name: 'Saule Nurlanovna', shown_now: false },
  ] },
];

const report: ProgressReport = {
  today: '2026-11-20',
  cases: summaries.map((c) => ({ case_id: c.id, reference: c.reference, title: c.title, stage: c.stage, status: c.status, percent: c.progress_percent, required: 10, required_resolved: Math.round(c.progress_percent / 10), overdue_tasks: c.overdue_tasks, overdue_international: c.overdue_international, measure_alerts: c.measure_alerts, open_requests: c.id === 'c1' ? 1 : 0, conflicts: c.conflicts, stages: [] })),
  overdue: [
    { case_id: 'c1', reference: 'KZ-2026-0142', task_id: 't1', title: 'Request bank records of the employer', due: '2026-11-10', assignee: 'm-aibek', assignee_name: 'Aibek Dzhaksybekov' },
    { case_id: 'c1', reference: 'KZ-2026-0142', task_id: 't2', title: 'Arrange vetted interpreter', due: '2026-11-15', assignee: 'm-aibek', assignee_name: 'Aibek Dzhaksybekov' },
  ],
  by_stage: [{ key: 'identification', count: 1 }, { key: 'evidence', count: 1 }, { key: 'prosecution_review', count: 1 }],
  overdue_by_assignee: [{ key: 'Aibek Dzhaksybekov', count: 2 }],
  quarantined_changes: 1,
};

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Sync on this network and relays, for the preview of the sync centre.
const lanOff: LanStatusDto = { running: false, listening: null, addresses: [], discovery: true, discovery_failed: false, public_network: false, last_error_code: null, peers: [] };
let lan: LanStatusDto = lanOff;
const lanOn = (): LanStatusDto => ({
  ...lanOff,
  running: true,
  listening: '0.0.0.0:49152',
  addresses: ['192.168.1.7:49152'],
  peers: [
    { device: 'dev-aibek', name: 'Aibek Dzhaksybekov', address: '192.168.1.9:50211', state: 'synced', last_sync_ms: Date.now() - 60_000, applied: 14, quarantined: 0, last_error_code: null },
    { device: null, name: null, address: '192.168.1.23:49877', state: 'failed', last_sync_ms: null, applied: 0, quarantined: 0, last_error_code: 'net.timeout' },
  ],
});
const relayList: RelayView[] = [
  { key: '3f9a1c0de4b27785a6c1e0f9d2b34a5c6d7e8f90123456789abcdef01234567', url: 'wss://relay.example.org', added_at: now - 9 * day, added_by_name: 'Saule Nurlanovna', last_sync_ms: now - 2 * 3_600_000, last_error_code: null },
];

mockIPC(async (cmd, args) => {
  const a = (args ?? {}) as Record<string, unknown>;
  switch (cmd) {
    case 'app_status': return status;
    case 'passphrase_strength': {
      const n = String(a.passphrase).length;
      const score = Math.min(4, Math.floor(n / 6));
      return { acceptable: score >= 3, score, message: score >= 3 ? null : 'vault.weak_passphrase' };
    }
    case 'create_vault': status = { ...status, vault_exists: true, unlocked: true, has_team: false }; return { recovery_code: 'K3PD-7QXA-M2RT-9WLC-4HNE-Z8YU-6BVF' };
    case 'unlock':
      if (a.passphrase !== 'demo') throw { code: 'vault.wrong_passphrase', kind: 'wrong_secret', message: 'Wrong passphrase' };
      status = { ...status, unlocked: true }; return status;
    case 'lock': status = { ...status, unlocked: false }; return null;
    case 'demo_passphrase': return 'demo';
    case 'leave_demo': status = { ...status, demo: false, unlocked: false }; return status;
    case 'pick_file': return null;
    case 'team': return team;
    case 'list_cases': return { cases: summaries, unreadable: [] };
    case 'show_case': return theCase();
    case 'checklists': return lists;
    case 'set_item':
      lists = lists.map((l) => l.key !== a.checklist ? l : { ...l, items: l.items.map((i) => i.id !== a.item_id ? i : { ...i, ...(a.update as object) }) });
      return null;
    case 'conflicts': return conflicts(Boolean(a.reveal));
    case 'record_history': return [
      {
        at: now - 18 * day, by: { id: 'm-aibek', name: 'Aibek Dzhaksybekov' }, created: true,
        fields: [
          { field: 'pseudonym', sensitive: false, value: { kind: 'value', value: 'V-1' } },
          { field: 'identity/full_name', sensitive: true, value: a.reveal ? { kind: 'value', value: 'Rustam Aliev' } : { kind: 'hidden' } },
          { field: 'exploitation', sensitive: false, value: { kind: 'list', value: ['forced_labour'] } },
        ],
      },
      {
        at: now - 2 * day, by: { id: 'm-saule', name: 'Saule Nurlanovna' }, created: false,
        fields: [{ field: 'control_methods', sensitive: false, value: { kind: 'list', value: ['withholds_documents', 'debt_bondage'] } }],
      },
    ];
    case 'reveal_identifier': return { value: '+998 90 123 45 67' };
    case 'reveal_account': return { value: 'KZ86 125K ZT50 0410 0100' };
    case 'write_dossier': { const reveal = Boolean((a.options as { reveal?: boolean } | undefined)?.reveal); return { pages: reveal ? 22 : 21, bytes: 291_897, digest: '076265516517e050da0f7121bc2e1200122d683ce4e3aedf0d1da6f0a52a8c63', revealed: reveal }; }
    case 'reveal_person': return { full_name: 'Rustam Aliev', other_names: 'Рустам Алиев', birth_date: '2002-05-14', document_numbers: 'AA1234567', contact: null, address: 'Jizzakh' };
    case 'peers': return [{ member: 'm-aibek', name: 'Aibek Dzhaksybekov', last_export_ms: now - day, last_import_ms: now - 2 * day, last_session_ms: null }];
    case 'quarantine': return quarantined;
    case 'release_quarantined': return { case_id: 'c1-9a8b7c6d', change: 'f00dbabe12345678', applied: false, changes_applied: 0, held: false, reasons: [{ code: 'sync.revoked_device', message: 'from a revoked device' }] };
    case 'discard_quarantined': quarantined = []; return { case_id: 'c1-9a8b7c6d', change: 'f00dbabe12345678', codes: ['sync.revoked_device'] };
    case 'progress_report': return report;
    case 'routes': {
      const all = [
        demoRoute(),
        caseRoute({ case_id: 'c3', reference: 'UZ-2026-0031', title: 'Cotton harvest recruitment, Jizzakh', places: [
          routePlace({ event_id: 'u1', sequence: 1, stage: 'recruitment', date: '2026-03-02', country: 'UZ', latitude: 40.115833, longitude: 67.842222 }),
          routePlace({ event_id: 'u2', sequence: 2, stage: 'exploitation', date: '2026-04-10', country: 'RU', latitude: 55.755826, longitude: 37.6173, crosses_border: true, border_point: 'Domodedovo airport', transport: 'air' }),
        ] }),
      ];
      const only = (a.options as { case?: string | null } | undefined)?.case;
      return { cases: only ? all.filter((r) => r.case_id === only) : all };
    }
    case 'export_geojson': return { cases: 2, places: 6, legs: 4, unplaced: 1 };
    case 'audit_log': return Array.from({ length: 8 }, (_, i) => ({ seq: 120 - i, at_ms: now - i * 3_600_000, actor: 'dev-saule', actor_name: i % 2 ? 'Aibek Dzhaksybekov' : 'Saule Nurlanovna', action: ['person.reveal', 'case.edit', 'sync.import', 'vault.unlocked'][i % 4], detail: 'KZ-2026-0142' }));
    case 'audit_verify': return { entries: 120, head: 'b3f1c0de9a8b7c6d5e4f' };
    case 'import_bundle':
    case 'export_bundle': {
      const ch = a.on_progress as { id: number };
      const run = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, d: unknown) => void } }).__TAURI_INTERNALS__.runCallback;
      const steps = ['reading', 'verifying', 'applying', 'saving', 'done'];
      for (let i = 0; i < steps.length; i++) {
        run(ch.id, { index: i, message: { step: steps[i], done: i + 1, total: steps.length } });
        await wait(150);
      }
      if (cmd === 'export_bundle') return { bytes: 48213, recipient: String(a.member ?? ''), path: String(a.path) };
      return { sender: 'dev-aibek', sender_name: 'Aibek Dzhaksybekov', applied: 14, already_had: 3, held: 1, not_permitted: 1, cases_changed: 2,
        quarantined: [{ case_id: 'c1-9a8b7c6d', change: 'f00dbabe12345678', code: 'sync.revoked_device', message: 'from a revoked device' }] };
    }
    case 'lan_status': return lan;
    case 'lan_start': lan = lanOn(); return lan;
    case 'lan_stop': lan = lanOff; return lan;
    case 'lan_connect': return lan;
    case 'relays': return relayList;
    case 'relay_sync_now': await wait(400); return { relay: { ...relayList[0], last_sync_ms: Date.now() }, uploaded: 1, imported: 2, skipped: 0, applied: 9, quarantined: 0 };
    case 'link_graph': return mockLinkGraph(mockLinkSize(), Math.max(10, Math.round(mockLinkSize() / 50)));
    case 'reveal_link_entity': return { value: 'Zhanar Abdullaeva (1999-04-02)' };
    case 'export_i2': return { entities_file: `${String((a.request as { dir: string }).dir)}/entities.csv`, links_file: `${String((a.request as { dir: string }).dir)}/links.csv`, entities: 12, links: 30, revealed: Boolean((a.request as { reveal: boolean }).reveal) };
    case 'inspect_join_request': return { name: 'Timur Bekov', label: 'Field laptop 5', device: 'dev-timur', fingerprint: 'H4JX-9QLE-20TR-MM3K' };
    case 'export_htcds': return htcdsExport(a.options as { folder: string; k: number });
    default: return null;
  }
});

/** What an export of the sample cases would report: with a small k most
 *  rows stay; with CTDC's 11 the sample team's few cases lose values. */
function htcdsExport(o: { folder: string; k: number }) {
  const qi = ['cas_RegistrationYear', 'vic_CountryOfExploitation', 'prs_Citizenship', 'prs_Stateless', 'vic_AgeBand', 'vic_TypeOfExploitation', 'prs_Gender'];
  const small = o.k > 3;
  return {
    folder: o.folder,
    files: ['victims.csv', 'victims.json', 'perpetrators.csv', 'perpetrators.json', 'dictionary.csv', 'suppression.json'],
    report: {
      standard: 'HTCDS 2.0',
      k: o.k,
      cases: 4,
      victims: {
        quasi_identifiers: qi,
        rows: 9,
        exported: small ? 7 : 9,
        withheld: small ? 2 : 0,
        suppressed: small ? [{ field: 'vic_AgeBand', rows: 3 }, { field: 'prs_Citizenship', rows: 2 }] : [],
      },
      perpetrators: {
        quasi_identifiers: ['cas_RegistrationYear', 'prs_Citizenship', 'prs_Stateless', 'per_RoleInProcess'],
        rows: 5,
        exported: 5,
        withheld: 0,
        suppressed: small ? [{ field: 'per_RoleInProcess', rows: 1 }] : [],
      },
    },
    unreadable: 0,
  };
}
