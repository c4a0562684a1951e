// Every form of a case, filled in completely, and the payload it sends
// recorded in test/payloads/. The shell's test (src-tauri/tests/forms.rs)
// sends each recorded payload through the real command on a real vault and
// checks that every value is stored: a form and its command can no longer
// disagree on a field's shape unseen (an age sent as text was refused with
// "An unexpected error occurred." and only a person could find it).
//
// After changing a form: `npx vitest run -u src/test/forms.test.ts`, then
// review the payload files and run the shell's test.
import { describe, it, expect } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import type { Component } from 'svelte';
import type { Role } from '$lib/bindings/Role';
import PeopleTab from '../screens/case/PeopleTab.svelte';
import EvidenceTab from '../screens/case/EvidenceTab.svelte';
import EvidenceCard from '../screens/case/EvidenceCard.svelte';
import InterviewsTab from '../screens/case/InterviewsTab.svelte';
import TasksTab from '../screens/case/TasksTab.svelte';
import TimelineTab from '../screens/case/TimelineTab.svelte';
import ReferralsTab from '../screens/case/ReferralsTab.svelte';
import RisksTab from '../screens/case/RisksTab.svelte';
import NotesTab from '../screens/case/NotesTab.svelte';
import LinkedCases from '../screens/case/LinkedCases.svelte';
import InternationalTab from '../screens/case/InternationalTab.svelte';
import NetworkTab from '../screens/case/NetworkTab.svelte';
import ReviewTab from '../screens/case/ReviewTab.svelte';
import ChecklistItem from '../screens/case/ChecklistItem.svelte';
import NewCaseDialog from '../screens/NewCaseDialog.svelte';
import TeamSetup from '../screens/setup/TeamSetup.svelte';
import RegistryNumber from '../screens/case/court/RegistryNumber.svelte';
import DecisionsSection from '../screens/case/court/DecisionsSection.svelte';
import MeasuresSection from '../screens/case/court/MeasuresSection.svelte';
import ChargesSection from '../screens/case/court/ChargesSection.svelte';
import IndictmentsSection from '../screens/case/court/IndictmentsSection.svelte';
import HearingsSection from '../screens/case/court/HearingsSection.svelte';
import VerdictsSection from '../screens/case/court/VerdictsSection.svelte';
import CompensationSection from '../screens/case/court/CompensationSection.svelte';
import SupportSection from '../screens/case/SupportSection.svelte';
import { asRole, caseDto, caseLink, caseSummary, charge, checklistItem, court, group, identifier, internationalRequest, interview, measure, person, referral, risk, supportService, task, team, timelineEvent, financialFlow } from './fixtures';
import MoneyTab from '../screens/case/MoneyTab.svelte';
import { mockBackend, renderWithUser, type Answer, type Args } from './backend';
import { fillEveryField, type Overrides } from './forms';
import { evidence as evidenceFixture } from '../dev/fixtures';

type Form = {
  /** The payload file's name. */
  name: string;
  role: Role;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  component: Component<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  props: Record<string, any>;
  /** The command the form calls when saved. */
  command: string;
  /** An edit form: it sends the fields changed in one `set_fields`;
   *  every call of it is recorded, in order. */
  edit?: true;
  /** Clicked before the form shows (an Add button). */
  opener?: string;
  /** Which form, when the component has several. */
  formTestid?: string;
  typed?: Overrides;
  /** Clicked after Save, when the form asks first. */
  confirm?: string;
  /** What else the backend answers (a list the form offers). */
  answers?: Record<string, Answer>;
  /** Shown once the form has what it offers. */
  ready?: string;
};

const c = caseDto();
const reload = async () => {};
const evidence = evidenceFixture({ id: 'e1', holder: 'Det. Omarov' });
// A case holding one record of each kind that can be edited; the shell's
// test adds them first, by the add forms' payloads, under these ids.
const records = caseDto({ tasks: [task()], timeline: [timelineEvent()], referrals: [referral()], risks: [risk()], interviews: [interview()], links: [caseLink()], international_requests: [internationalRequest()], identifiers: [identifier()], groups: [group({ members: [] })] });
// A case whose people the network forms offer: the add forms' victim and suspect.
const withPeople = caseDto({ people: [person({ id: 'pv1' }), person({ id: 'ps1', kind: 'suspect', pseudonym: 'S-1' })] });
// The other case a link form offers.
const otherCases = { cases: [caseSummary({ id: 'c2', reference: 'ALM-2026-009' })], unreadable: [] };
// The victim's own initial actions, which the shell's test starts for the
// victim the add form made (`v1`).
const checklistProps = {
  caseId: 'c1',
  templateId: 'initial-actions',
  checklist: 'initial-actions~v1',
  item: checklistItem({ id: 'immediate-safety' }),
  evidence: [],
  onchanged: reload,
};

// The court phase's forms name the victim and the suspect the add forms
// made, and the charge and the measure the investigator's forms add.
const parties = [person({ id: 'pv1' }), person({ id: 'ps1', kind: 'suspect', pseudonym: 'S-1' })];
const courtCase = caseDto({ people: parties, court: court({ charges: [charge()], measures: [measure()] }) });
// A victim's support plan: the add forms' victim and referral, and the
// service the add form makes.
const supportCase = caseDto({ people: [person({ id: 'pv1' })], referrals: [referral({ person_id: 'pv1' })], support: [supportService({ victim_id: 'pv1' })] });
const supportProps = { c: supportCase, person: supportCase.people[0], reload };
const offeredArticles = [
  { key: 'KZ-2014-128', jurisdiction: 'KZ', code_year: 2014, article: '128', title: 'Trafficking in persons', title_lang: 'en', in_force_from: '2015-01-01', related: false, verified: true, source: 'https://adilet.zan.kz' },
];

/** A person's forms have some fifty controls, each typed into or ticked
 *  as a person would: more than the default five seconds on a loaded
 *  machine. */
const FILL_TIMEOUT_MS = 30_000;

/** The ids of the people the edit forms correct, by kind. */
const PERSON_IDS = { victim: 'pv1', suspect: 'ps1', witness: 'pw1' } as const;

// Values the core checks (codes, bounded numbers) are typed as a person
// would type them; every other text is the field's own name.
const FORMS: Form[] = [
  { name: 'found_team', role: 'admin', component: TeamSetup, props: { pendingJoin: null, refresh: reload }, command: 'found_team' },
  { name: 'create_case', role: 'investigator', component: NewCaseDialog, props: { onclose: () => {}, oncreated: () => {} }, command: 'create_case', typed: { 'case-jurisdiction': 'KZ' } },
  ...(['victim', 'suspect', 'witness'] as const).map((kind) => ({
    name: `add_person_${kind}`, role: 'investigator' as const, component: PeopleTab, props: { c: caseDto({ people: [] }), reload },
    command: 'add_person', opener: 'add-person', typed: { 'person-kind': kind, 'person-citizenship': 'UZ' },
  })),
  { name: 'add_evidence', role: 'investigator', component: EvidenceTab, props: { c, reload }, command: 'add_evidence', opener: 'add-evidence' },
  { name: 'transfer_custody', role: 'investigator', component: EvidenceCard, props: { caseId: 'c1', ev: evidence, reload }, command: 'transfer_custody', opener: 'custody-transfer', confirm: 'custody-confirm', typed: { 'custody-date': '15.03.2026', 'custody-time': '10:30' } },
  { name: 'add_interview', role: 'investigator', component: InterviewsTab, props: { c, reload }, command: 'add_interview', opener: 'add-interview' },
  { name: 'add_task', role: 'investigator', component: TasksTab, props: { c, reload }, command: 'add_task', typed: { 'task-due': '15.03.2030' } },
  { name: 'add_event', role: 'investigator', component: TimelineTab, props: { c, reload }, command: 'add_event', typed: { 'tl-country': 'KZ', 'tl-lat': '43.238949', 'tl-lon': '76.889709' } },
  { name: 'add_identifier', role: 'investigator', component: NetworkTab, props: { c: withPeople, reload }, command: 'add_identifier', formTestid: 'identifier-form', typed: { 'id-kind': 'phone', 'id-value': '+7 701 123 45 67', 'id-person': 'ps1' } },
  { name: 'add_group', role: 'investigator', component: NetworkTab, props: { c: withPeople, reload }, command: 'add_group', formTestid: 'group-form', typed: { 'gr-countries': 'UZ' } },
  { name: 'set_group_member', role: 'investigator', component: NetworkTab, props: { c: caseDto({ people: withPeople.people, groups: [group({ members: [] })] }), reload }, command: 'set_group_member', formTestid: 'group-member-form', typed: { 'gm-g1-person': 'ps1', 'gm-g1-role': 'organiser' } },
  { name: 'add_referral', role: 'investigator', component: ReferralsTab, props: { c, reload }, command: 'add_referral' },
  { name: 'add_risk', role: 'investigator', component: RisksTab, props: { c, reload }, command: 'add_risk' },
  { name: 'add_note', role: 'investigator', component: NotesTab, props: { c, reload }, command: 'add_note' },
  { name: 'add_case_link', role: 'investigator', component: LinkedCases, props: { c, reload }, command: 'add_case_link', formTestid: 'link-form', answers: { list_cases: otherCases }, ready: 'link-form' },
  { name: 'add_international_request', role: 'investigator', component: InternationalTab, props: { c, reload }, command: 'add_international_request', typed: { 'ir-kind': 'interpol_notice', 'ir-state': 'UZ' } },
  { name: 'set_registry_number', role: 'investigator', component: RegistryNumber, props: { c: courtCase, reload }, command: 'set_registry_number', formTestid: 'registry-form' },
  { name: 'add_procedural_decision', role: 'investigator', component: DecisionsSection, props: { c: courtCase, reload }, command: 'add_procedural_decision', opener: 'add-decision', formTestid: 'decision-form' },
  { name: 'add_measure', role: 'investigator', component: MeasuresSection, props: { c: courtCase, reload }, command: 'add_measure', opener: 'add-measure', formTestid: 'measure-form' },
  { name: 'add_charge', role: 'investigator', component: ChargesSection, props: { c: courtCase, reload }, command: 'add_charge', opener: 'add-charge', formTestid: 'charge-form', answers: { articles: offeredArticles }, typed: { 'charge-article': 'KZ-2014-128', 'charge-part': '3', 'charge-paragraph': '1', 'ch-status': 'brought', 'charge-date': '15.03.2026' } },
  { name: 'add_indictment', role: 'investigator', component: IndictmentsSection, props: { c: courtCase, reload }, command: 'add_indictment', opener: 'add-indictment', formTestid: 'indictment-form' },
  { name: 'add_hearing', role: 'prosecutor', component: HearingsSection, props: { c: courtCase, reload }, command: 'add_hearing', opener: 'add-hearing', formTestid: 'hearing-form', typed: { 'hearing-measure-video_link': 'granted', 'hearing-measure-no_face_to_face': 'granted' } },
  { name: 'add_verdict', role: 'prosecutor', component: VerdictsSection, props: { c: courtCase, reload }, command: 'add_verdict', opener: 'add-verdict', formTestid: 'verdict-form', typed: { 'vd-outcome': 'convicted' } },
  { name: 'add_compensation', role: 'prosecutor', component: CompensationSection, props: { c: courtCase, reload }, command: 'add_compensation', opener: 'add-compensation', formTestid: 'compensation-form', typed: { 'co-currency': 'KZT' } },
  { name: 'add_review', role: 'prosecutor', component: ReviewTab, props: { c, reload }, command: 'add_review', formTestid: 'review-form' },
  { name: 'add_approval', role: 'supervisor', component: ReviewTab, props: { c, reload }, command: 'add_approval' },
  // The edit forms, on records as the fixtures hold them; every field is
  // changed, to values other than the add forms' above, which made the
  // records the shell's test corrects.
  { name: 'edit_evidence', role: 'investigator', component: EvidenceCard, props: { caseId: 'c1', ev: evidence, reload }, command: 'set_fields', edit: true, opener: 'edit-evidence', formTestid: 'edit-record-form', typed: { 'edit-record-kind': 'cash' } },
  { name: 'edit_task', role: 'investigator', component: TasksTab, props: { c: records, reload }, command: 'set_fields', edit: true, opener: 'edit-task', formTestid: 'edit-record-form', typed: { 'edit-record-stage': 'planning' } },
  { name: 'edit_event', role: 'investigator', component: TimelineTab, props: { c: records, reload }, command: 'set_fields', edit: true, opener: 'edit-event', formTestid: 'edit-record-form', typed: { 'edit-record-kind': 'recruitment', 'edit-record-date': '16.03.2009', 'edit-record-country': 'UZ', 'edit-record-latitude_microdeg': '41.5', 'edit-record-longitude_microdeg': '69.25', 'edit-record-transport': 'rail' } },
  { name: 'edit_identifier', role: 'investigator', component: NetworkTab, props: { c: records, reload }, command: 'set_fields', edit: true, opener: 'edit-identifier', formTestid: 'edit-record-form', typed: { 'edit-record-kind': 'messenger_account', 'edit-record-value': '@kaskelen_jobs' } },
  { name: 'edit_group', role: 'investigator', component: NetworkTab, props: { c: records, reload }, command: 'set_fields', edit: true, opener: 'edit-group', formTestid: 'edit-record-form', typed: { 'edit-record-countries': 'KG' } },
  { name: 'edit_referral', role: 'investigator', component: ReferralsTab, props: { c: records, reload }, command: 'set_fields', edit: true, opener: 'edit-referral', formTestid: 'edit-record-form', typed: { 'edit-record-direction': 'incoming', 'edit-record-date': '16.03.2009' } },
  { name: 'edit_risk', role: 'investigator', component: RisksTab, props: { c: records, reload }, command: 'set_fields', edit: true, opener: 'edit-risk', formTestid: 'edit-record-form', typed: { 'edit-record-subject': 'family', 'edit-record-severity': '4', 'edit-record-likelihood': '1', 'edit-record-review_on': '16.03.2009' } },
  { name: 'edit_interview', role: 'investigator', component: InterviewsTab, props: { c: records, reload }, command: 'set_fields', edit: true, opener: 'edit-interview', formTestid: 'edit-record-form', typed: { 'edit-record-planned_for': '16.03.2009' } },
  // A person's every field, identity fields typed without revealing them;
  // the shell's test adds each kind of person by the add forms first.
  ...(['victim', 'suspect', 'witness'] as const).map((kind) => ({
    name: `edit_person_${kind}`, role: 'investigator' as const, component: PeopleTab,
    props: { c: caseDto({ people: [person({ id: PERSON_IDS[kind], kind })] }), reload },
    command: 'set_fields', edit: true as const, opener: 'edit-person', formTestid: 'edit-record-form',
    typed: { 'edit-record-sex': 'masculine', 'edit-record-citizenships': 'KZ', 'edit-record-identity-birth_date': '16.03.2009', 'edit-record-status': 'actual_victim_of_trafficking', 'edit-record-return_country': 'UZ' },
  })),
  { name: 'edit_link', role: 'investigator', component: LinkedCases, props: { c: records, reload }, command: 'set_fields', edit: true, opener: 'edit-link', formTestid: 'edit-record-form', answers: { list_cases: otherCases } },
  { name: 'edit_request', role: 'investigator', component: InternationalTab, props: { c: records, reload }, command: 'set_fields', edit: true, opener: 'edit-request', formTestid: 'edit-record-form', typed: { 'edit-record-kind': 'interpol_notice', 'edit-record-requested_state': 'KZ', 'edit-record-sent_on': '16.03.2009', 'edit-record-deadline': '16.03.2009', 'edit-record-response_on': '16.03.2009' } },
  { name: 'edit_charge', role: 'investigator', component: ChargesSection, props: { c: courtCase, reload }, command: 'set_fields', edit: true, opener: 'edit-charge', formTestid: 'edit-record-form', answers: { articles: offeredArticles }, typed: { 'edit-record-status': 'amended', 'edit-record-brought_on': '16.03.2009' } },
  { name: 'edit_measure', role: 'investigator', component: MeasuresSection, props: { c: courtCase, reload }, command: 'set_fields', edit: true, opener: 'edit-measure', formTestid: 'edit-record-form', typed: { 'edit-record-kind': 'bail', 'edit-record-from': '16.03.2009', 'edit-record-until': '16.03.2010', 'edit-record-lifted_on': '17.03.2009' } },
  { name: 'add_support', role: 'investigator', component: SupportSection, props: supportProps, command: 'add_support', opener: 'add-support', formTestid: 'support-form' },
  { name: 'edit_support', role: 'supervisor', component: SupportSection, props: supportProps, command: 'set_fields', edit: true, opener: 'edit-support', formTestid: 'edit-record-form', typed: { 'edit-record-kind': 'legal', 'edit-record-started_on': '14.03.2009', 'edit-record-ended_on': '17.03.2009' } },
  { name: 'edit_victim_support', role: 'supervisor', component: SupportSection, props: supportProps, command: 'set_fields', edit: true, opener: 'edit-victim-support', formTestid: 'edit-record-form', typed: { 'edit-record-reflection_from': '14.03.2009', 'edit-record-reflection_until': '16.04.2009', 'edit-record-return_country': 'TJ', 'edit-record-residence_decision': 'voluntary_return' } },
  { name: 'set_item_not_applicable', role: 'investigator', component: ChecklistItem, props: checklistProps, command: 'set_item', opener: 'item-na' },
  // A transfer from the suspect the add forms made to a company: the
  // recipient typed as a party; the freeze's last choice brings its date.
  { name: 'add_financial_flow', role: 'investigator', component: MoneyTab, props: { c: withPeople, reload }, command: 'add_financial_flow', opener: 'add-flow', formTestid: 'flow-form', typed: { 'mf-kind': 'transfer', 'mf-from': 'ps1', 'mf-currency': 'KZT' } },
  { name: 'edit_financial_flow', role: 'investigator', component: MoneyTab, props: { c: caseDto({ finance: { flows: [financialFlow()], totals: [] } }), reload }, command: 'set_field', edit: true, opener: 'edit-flow', formTestid: 'edit-record-form', typed: { 'edit-record-kind': 'crypto_transfer', 'edit-record-currency': 'USD', 'edit-record-source': 'fiu_report', 'edit-record-date': '16.03.2009', 'edit-record-freeze_ordered_on': '16.03.2009', 'edit-record-amount': '1200' } },
];

/** The form on screen: the one named, or the only one. */
function formOf(f: Form): HTMLElement {
  if (f.formTestid) return screen.getByTestId(f.formTestid);
  const forms = document.querySelectorAll('form');
  expect(forms).toHaveLength(1);
  return forms[0] as HTMLElement;
}

describe('every form, filled in completely', () => {
  it.each(FORMS.map((f) => [f.name, f] as const))('%s sends every field', async (_, f) => {
    asRole(f.role);
    const backend = mockBackend({ team: team(), [f.command]: 'new-id', articles: [], ...f.answers });
    const { user } = renderWithUser(f.component, f.props);
    if (f.ready) await screen.findByTestId(f.ready);
    if (f.opener) await user.click(screen.getByTestId(f.opener));
    const form = formOf(f);
    const texts = await fillEveryField(user, form, f.typed);
    await user.click(within(form).getByRole('button', { name: (_, el) => (el as HTMLButtonElement).type === 'submit' }));

    if (f.confirm) await user.click(await screen.findByTestId(f.confirm));

    if (f.edit) {
      const calls = await waitFor(() => {
        const sent = backend.calls.filter(([c]) => c === 'set_fields');
        expect(sent.length, 'the edit form sent nothing').toBeGreaterThan(0);
        return sent.map(([command, args]) => ({ command, args }));
      });
      const sent = JSON.stringify(calls);
      for (const text of texts) expect(sent, `the form does not send "${text}"`).toContain(JSON.stringify(text).slice(1, -1));
      await expect(JSON.stringify({ role: f.role, calls }, null, 2) + '\n').toMatchFileSnapshot(`./payloads/${f.name}.json`);
      return;
    }
    const args: Args | undefined = backend.argsOf(f.command);
    expect(args, `${f.command} was not called`).toBeDefined();
    const sent = JSON.stringify(args);
    for (const text of texts) expect(sent, `the form does not send "${text}"`).toContain(JSON.stringify(text).slice(1, -1));
    await expect(JSON.stringify({ command: f.command, role: f.role, args }, null, 2) + '\n').toMatchFileSnapshot(`./payloads/${f.name}.json`);
  }, FILL_TIMEOUT_MS);
});
