import { setLang } from '$lib/i18n/index.svelte';
import type { ItemView } from '$lib/bindings/ItemView';
import ChecklistItem from '../screens/case/ChecklistItem.svelte';
import type { StageView } from '$lib/bindings/StageView';
import userEvent from '@testing-library/user-event';
import { describe, it, expect } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import ChecklistsTab from '../screens/case/ChecklistsTab.svelte';
import StageTrack from '../screens/case/StageTrack.svelte';
import { en } from '$lib/i18n/catalogues';
import { asRole, caseDto, checklist, checklistItem, person } from './fixtures';
import { mockBackend, refuse, renderWithUser } from './backend';

const tabProps = () => ({ c: caseDto(), reload: async () => {} });

/** A stage open, with everything required done. */
const readyStage: StageView = {
  stage: 'identification',
  status: 'active',
  opened_at: 1_795_824_000_000,
  closed_at: null,
  gate: { ready: true, missing_items: [], missing_signoffs: [], not_applicable_unsigned: [], unknown_templates: [], people: [] },
};

describe('checklists', () => {
  it('requires a reason before marking an item not applicable', async () => {
    asRole('investigator');
    const backend = mockBackend({ checklists: [checklist()] });
    const { user } = renderWithUser(ChecklistsTab, tabProps());

    const item = await screen.findByTestId('checklist-item');
    expect(item).toHaveAttribute('data-item-id', 'safety');
    expect(item).toHaveAttribute('data-template-id', 'initial-actions');
    await user.click(within(item).getByTestId('item-na'));

    const dialog = screen.getByRole('dialog');
    const save = within(dialog).getByTestId('na-save');
    expect(save).toBeDisabled();
    await user.type(within(dialog).getByTestId('na-reason'), '   ');
    expect(save).toBeDisabled();
    await user.click(save);
    expect(backend.commands()).not.toContain('set_item');

    await user.type(within(dialog).getByTestId('na-reason'), 'Adult, no medical needs');
    expect(save).toBeEnabled();
    await user.click(save);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(backend.argsOf('set_item')).toEqual({
      case_id: 'c1',
      checklist: 'initial-actions',
      item_id: 'safety',
      update: { status: 'not_applicable', reason: 'Adult, no medical needs', note: null, evidence_ids: [], interview_ids: [] },
    });
  });

  it('closes the N/A dialog with Escape without saving', async () => {
    asRole('investigator');
    const backend = mockBackend({ checklists: [checklist()] });
    const { user } = renderWithUser(ChecklistsTab, tabProps());
    await user.click(await screen.findByTestId('item-na'));
    expect(screen.getByTestId('na-reason')).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(backend.commands()).not.toContain('set_item');
  });

  it('ticks an item done and offers identification lists not yet started', async () => {
    asRole('investigator');
    const backend = mockBackend({
      checklists: [checklist(), checklist({ template_id: 'identification-labour', stage: 'identification', title: 'Labour', newer_version: 2 })],
    });
    const { user } = renderWithUser(ChecklistsTab, tabProps());
    const items = await screen.findAllByTestId('item-done');
    await user.click(items[0]);
    expect(backend.argsOf('set_item')).toMatchObject({ update: { status: 'done' } });
    const starts = screen.getAllByTestId('start-checklist').map((b) => b.getAttribute('data-template-id'));
    expect(starts).not.toContain('identification-labour');
    expect(starts).toContain('identification-sexual');
    await user.click(screen.getByTestId('adopt-template'));
    expect(backend.argsOf('adopt_template')).toEqual({ case_id: 'c1', checklist: 'identification-labour' });
  });
});

describe('checklists kept per victim', () => {
  const victims = ['p1', 'p2', 'p3'].map((id, n) => person({ id, pseudonym: `V-${n + 1}` }));
  const row = (person_id: string, key: string | null, done = 0) => ({
    person_id,
    person: victims.find((v) => v.id === person_id)!.pseudonym,
    template_id: 'initial-actions',
    stage: 'initial_response' as const,
    key,
    required: 14,
    required_resolved: done,
    percent: key === null ? 0 : Math.round((done / 14) * 100),
  });
  const perVictimCase = () =>
    caseDto({
      people: victims,
      person_progress: [row('p1', 'initial-actions~p1', 14), row('p2', 'initial-actions~p2', 3), row('p3', null)],
    });
  const p2List = () =>
    checklist({ key: 'initial-actions~p2', person_id: 'p2', person: 'V-2', per_victim: true, title: 'Initial actions' });

  it('shows one progress bar per victim, and works one victim\'s checklist by its key', async () => {
    asRole('investigator');
    const backend = mockBackend({ checklists: [p2List()] });
    const { user } = renderWithUser(ChecklistsTab, { c: perVictimCase(), reload: async () => {} });
    const rows = await screen.findAllByTestId('person-progress');
    expect(rows.map((r) => r.getAttribute('data-person-id'))).toEqual(['p1', 'p2', 'p3']);
    expect(rows.map((r) => within(r).getByRole('progressbar').getAttribute('aria-valuenow'))).toEqual(['100', '21', '0']);
    expect(within(rows[2]).getByText(en['checklists.not_started'])).toBeInTheDocument();
    // A victim's checklist is opened on its own, and its items name it.
    expect(screen.queryByTestId('checklist')).toBeNull();
    // Its items come with the checklists, which load after the case.
    await user.click(await within(rows[1]).findByTestId('open-person-checklist'));
    const list = screen.getByTestId('checklist');
    expect(list).toHaveAttribute('data-checklist', 'initial-actions~p2');
    expect(within(list).getByTestId('checklist-person')).toHaveTextContent('V-2');
    await user.click(within(list).getByTestId('item-done'));
    expect(backend.argsOf('set_item')).toMatchObject({ case_id: 'c1', checklist: 'initial-actions~p2', item_id: 'safety' });
  });

  it('starts a victim\'s checklist, or one for every victim who has none', async () => {
    asRole('investigator');
    const backend = mockBackend({ checklists: [p2List()], start_checklist: null, start_checklist_for_every_victim: ['p3'] });
    const { user } = renderWithUser(ChecklistsTab, { c: perVictimCase(), reload: async () => {} });
    const rows = await screen.findAllByTestId('person-progress');
    expect(within(rows[0]).queryByTestId('start-for-person')).toBeNull();
    await user.click(within(rows[2]).getByTestId('start-for-person'));
    expect(backend.argsOf('start_checklist')).toEqual({ case_id: 'c1', template_id: 'initial-actions', person_id: 'p3' });
    await user.click(screen.getByTestId('start-every-victim'));
    expect(backend.argsOf('start_checklist_for_every_victim')).toEqual({ case_id: 'c1', template_id: 'initial-actions' });
  });

  it('starts an indicator list for the victim chosen, and not before one is', async () => {
    asRole('investigator');
    const backend = mockBackend({ checklists: [], start_checklist: null });
    const { user } = renderWithUser(ChecklistsTab, { c: perVictimCase(), reload: async () => {} });
    const sexual = (await screen.findAllByTestId('start-checklist')).find((b) => b.getAttribute('data-template-id') === 'identification-sexual')!;
    expect(sexual).toBeDisabled();
    await user.selectOptions(screen.getByTestId('start-for'), 'p2');
    await user.click(sexual);
    expect(backend.argsOf('start_checklist')).toEqual({ case_id: 'c1', template_id: 'identification-sexual', person_id: 'p2' });
  });

  it('a prosecutor is offered no start', async () => {
    asRole('prosecutor');
    mockBackend({ checklists: [p2List()] });
    render(ChecklistsTab, { props: { c: perVictimCase(), reload: async () => {} } });
    await screen.findAllByTestId('person-progress');
    expect(screen.queryByTestId('start-for-person')).toBeNull();
    expect(screen.queryByTestId('start-every-victim')).toBeNull();
  });

  it('names in the stage gate what each victim still lacks', async () => {
    asRole('investigator');
    mockBackend({ checklists: [] });
    const stage: StageView = {
      ...readyStage,
      stage: 'initial_response',
      gate: {
        ready: false,
        missing_items: [],
        missing_signoffs: [],
        not_applicable_unsigned: [],
        unknown_templates: [],
        people: [
          { person_id: 'p2', person: 'V-2', not_started: [], missing_items: ['initial-actions/medical-needs'], not_applicable_unsigned: [{ item: 'initial-actions/presume-child', role: 'supervisor' }] },
          { person_id: 'p3', person: 'V-3', not_started: ['initial-actions'], missing_items: [], not_applicable_unsigned: [] },
        ],
      },
    };
    render(StageTrack, { props: { c: caseDto({ stages: [stage] }), reload: async () => {} } });
    const people = await screen.findAllByTestId('gate-person');
    expect(people.map((p) => p.getAttribute('data-person-id'))).toEqual(['p2', 'p3']);
    expect(people[0]).toHaveTextContent('V-2');
    expect(people[0]).toHaveTextContent('initial-actions/medical-needs');
    expect(within(people[0]).getByTestId('gate-na-unsigned')).toHaveTextContent('signed off by the supervisor');
    expect(people[1]).toHaveTextContent('Initial actions: not started for this victim');
  });
});

describe('checklists: a refused N/A', () => {
  it('keeps the dialog open and shows the translated reason inside it', async () => {
    asRole('investigator');
    mockBackend({ checklists: [checklist()], set_item: refuse('policy.denied') });
    const { user } = renderWithUser(ChecklistsTab, tabProps());
    await user.click(await screen.findByTestId('item-na'));
    await user.type(screen.getByTestId('na-reason'), 'Not relevant');
    await user.click(screen.getByTestId('na-save'));
    const dialog = screen.getByRole('dialog');
    expect(await within(dialog).findByTestId('error-message')).toHaveTextContent('Your role does not allow this change.');
  });

  it('shows a checklist of a newer template version, with what to do, and no items to work on', async () => {
    asRole('investigator');
    mockBackend({
      checklists: [
        checklist(),
        checklist({ template_id: 'identification-general', version: 9, template_unknown: true, stage: 'identification', title: 'General indicators', items: [], required: 0 }),
        checklist({ template_id: 'trial-witnesses', version: 1, template_unknown: true, stage: null, title: 'trial-witnesses', items: [], required: 0 }),
      ],
    });
    render(ChecklistsTab, { props: tabProps() });
    const lists = await screen.findAllByTestId('checklist');
    expect(lists.map((l) => l.getAttribute('data-template-id'))).toEqual(['initial-actions', 'identification-general', 'trial-witnesses']);
    for (const list of lists.slice(1)) {
      expect(within(list).getByTestId('template-unknown')).toHaveTextContent('update Caravan');
      expect(within(list).queryByTestId('checklist-item')).toBeNull();
    }
    expect(screen.getByText('Checklists of a template this copy of Caravan does not know')).toBeInTheDocument();
  });

  it('names the checklists of a newer template version that hold a stage gate', async () => {
    asRole('supervisor');
    mockBackend({ checklists: [] });
    const stage: StageView = {
      stage: 'identification',
      status: 'active',
      opened_at: 1_795_824_000_000,
      closed_at: null,
      gate: { ready: false, missing_items: [], missing_signoffs: [], not_applicable_unsigned: [], unknown_templates: ['identification-general@9'], people: [] },
    };
    render(StageTrack, { props: { c: caseDto({ stages: [stage] }), reload: async () => {} } });
    const held = await screen.findByTestId('gate-template-unknown');
    expect(held).toHaveTextContent('identification-general@9');
    expect(held).toHaveTextContent('update Caravan');
  });

  it('names a safety item marked not applicable that still needs a supervisor\'s sign-off', async () => {
    asRole('investigator');
    mockBackend({ checklists: [] });
    const stage: StageView = {
      stage: 'intake',
      status: 'active',
      opened_at: 1_795_824_000_000,
      closed_at: null,
      gate: {
        ready: false,
        missing_items: [],
        missing_signoffs: [],
        not_applicable_unsigned: [{ item: 'intake/urgent-safety-check', role: 'supervisor' }],
        unknown_templates: [],
        people: [],
      },
    };
    render(StageTrack, { props: { c: caseDto({ stages: [stage] }), reload: async () => {} } });
    const held = await screen.findByTestId('gate-na-unsigned');
    expect(held).toHaveTextContent('marked not applicable');
    expect(held).toHaveTextContent('signed off by the supervisor');
  });

  it('regression: tells only who may close a ready stage that it can be closed; an investigator is told who closes it and asks them', async () => {
    const stage = readyStage;
    const assignment = { investigators: [], prosecutor: null, supervisor: { id: 'm-sup', name: 'Marat' }, reviewers: [] };
    asRole('supervisor');
    mockBackend({ checklists: [] });
    const { unmount } = render(StageTrack, { props: { c: caseDto({ stages: [stage], assignment }), reload: async () => {} } });
    expect(await screen.findByTestId('gate-ready')).toHaveTextContent(en['overview.gate_ready']);
    expect(screen.queryByTestId('ask-close')).toBeNull();
    unmount();

    asRole('investigator');
    const backend = mockBackend({ checklists: [], add_task: 't9' });
    const user = userEvent.setup();
    render(StageTrack, { props: { c: caseDto({ stages: [stage], assignment }), reload: async () => {} } });
    expect(await screen.findByTestId('gate-ready')).toHaveTextContent('Marat, the case\'s supervisor, closes the stage');
    await user.click(screen.getByTestId('ask-close'));
    expect(backend.argsOf('add_task')).toMatchObject({
      case_id: 'c1',
      task: { title: 'Close the stage “Identification”: everything required is done', assignee: 'm-sup', stage: 'identification' },
    });
  });

  it('an asked stage says so instead of asking again; with no supervisor assigned, says who can assign one', async () => {
    const stage = readyStage;
    asRole('investigator');
    mockBackend({ checklists: [] });
    const task = { id: 't9', title: 'Close the stage “Identification”: everything required is done', assignee: { id: 'm-sup', name: 'Marat' }, due: null, stage: 'identification' as const, done: false, overdue: false };
    const { unmount } = render(StageTrack, { props: { c: caseDto({ stages: [stage], tasks: [task] }), reload: async () => {} } });
    expect(await screen.findByTestId('close-requested')).toHaveTextContent('Marat');
    expect(screen.queryByTestId('ask-close')).toBeNull();
    expect(screen.getByTestId('gate-ready')).toHaveTextContent('none is assigned yet');
    unmount();
  });

  it('regression: a prosecutor is offered sign-off only on an item that is done (signing an open one failed), and sees who recorded it and when', async () => {
    asRole('prosecutor');
    setLang('en');
    mockBackend({});
    const props = (over: Partial<ItemView>) => ({
      caseId: 'c1',
      templateId: 't1',
      item: checklistItem({ signoff_needed: 'prosecutor', ...over }),
      evidence: [],
      onchanged: async () => {},
    });
    const open = render(ChecklistItem, { props: props({}) });
    expect(screen.queryByTestId('item-signoff')).toBeNull();
    expect(screen.getByTestId('item-signoff-later')).toBeInTheDocument();
    expect(screen.queryByTestId('item-recorded')).toBeNull();
    open.unmount();
    const backend = mockBackend({ sign_off_item: null });
    const { user } = renderWithUser(
      ChecklistItem,
      props({ status: 'done', recorded_by: { id: 'm-aibek', name: 'Aibek' }, recorded_at: 1_795_824_000_000 }),
    );
    expect(screen.getByTestId('item-recorded')).toHaveTextContent('Aibek');
    // A sign-off has legal weight: asked first.
    await user.click(screen.getByTestId('item-signoff'));
    expect(backend.commands()).not.toContain('sign_off_item');
    await user.click(within(screen.getByRole('dialog')).getByTestId('signoff-confirm'));
    await waitFor(() => expect(backend.argsOf('sign_off_item')).toEqual({ case_id: 'c1', checklist: 't1', item_id: 'safety' }));
  });
});
