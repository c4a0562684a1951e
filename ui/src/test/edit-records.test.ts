// Correcting a record after it was added: the edit form opens with what the
// record holds, sends only the fields changed (each to its path in the
// case) in one `set_fields`, shows a refusal by its code, and is offered
// only to roles that may change the record.
import { describe, it, expect, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import type { Component } from 'svelte';
import type { Role } from '$lib/bindings/Role';
import { ru } from '$lib/i18n/catalogues';
import TasksTab from '../screens/case/TasksTab.svelte';
import TimelineTab from '../screens/case/TimelineTab.svelte';
import ReferralsTab from '../screens/case/ReferralsTab.svelte';
import RisksTab from '../screens/case/RisksTab.svelte';
import InterviewsTab from '../screens/case/InterviewsTab.svelte';
import EvidenceCard from '../screens/case/EvidenceCard.svelte';
import EditRecordDialog from '$lib/components/EditRecordDialog.svelte';
import { asRole, caseDto, evidence, interview, referral, risk, task, team, timelineEvent } from './fixtures';
import { mockBackend, refuse, renderWithUser } from './backend';

const c = caseDto({
  tasks: [task()],
  timeline: [timelineEvent()],
  referrals: [referral()],
  risks: [risk()],
  interviews: [interview()],
});

type Field = { kind: string; path: string; value?: string; text?: string; values?: string[] };
/** The fields each save sent, one array per `set_fields`. */
const saves = (calls: Array<[string, Record<string, unknown>]>) =>
  calls.filter(([cmd]) => cmd === 'set_fields').map(([, args]) => {
    expect(args.case_id).toBe('c1');
    return args.fields as Field[];
  });

describe('editing a record', () => {
  it('opens a task prefilled and saves only the fields changed, then reloads', async () => {
    asRole('investigator');
    const backend = mockBackend({ team: team() });
    const reload = vi.fn(async () => {});
    const { user } = renderWithUser(TasksTab, { c, reload });
    await user.click(screen.getByTestId('edit-task'));

    const dialog = screen.getByTestId('edit-record-dialog');
    const title = within(dialog).getByTestId('edit-record-title');
    expect(title).toHaveValue('Request bank records');
    expect(within(dialog).getByTestId('edit-record-due')).toHaveValue('01.02.2026');
    expect(within(dialog).getByTestId('edit-record-stage')).toHaveValue('financial');
    // Nothing changed yet: nothing to save.
    expect(within(dialog).getByTestId('edit-record-save')).toBeDisabled();

    await user.clear(title);
    await user.type(title, '  Request bank records from Halyk  ');
    await user.clear(within(dialog).getByTestId('edit-record-due'));
    await user.type(within(dialog).getByTestId('edit-record-due'), '15.02.2026');
    await user.click(within(dialog).getByTestId('edit-record-save'));

    await waitFor(() => expect(screen.queryByTestId('edit-record-dialog')).not.toBeInTheDocument());
    expect(saves(backend.calls)).toEqual([
      [
        { kind: 'value', path: 'tasks/t1/title', value: 'Request bank records from Halyk' },
        { kind: 'value', path: 'tasks/t1/due', value: '2026-02-15' },
      ],
    ]);
    expect(reload).toHaveBeenCalled();
  });

  it('clears an optional field as none, and keeps a required one from being saved blank', async () => {
    asRole('investigator');
    const backend = mockBackend({});
    const { user } = renderWithUser(ReferralsTab, { c, reload: async () => {} });
    await user.click(screen.getByTestId('edit-referral'));
    const dialog = screen.getByTestId('edit-record-dialog');

    await user.clear(within(dialog).getByTestId('edit-record-organisation'));
    expect(within(dialog).getByTestId('edit-record-save')).toBeDisabled();
    await user.type(within(dialog).getByTestId('edit-record-organisation'), 'Shelter Sana');
    await user.clear(within(dialog).getByTestId('edit-record-date'));
    await user.type(within(dialog).getByTestId('edit-record-outcome'), 'Placed');
    await user.click(within(dialog).getByTestId('edit-record-save'));

    await waitFor(() => expect(screen.queryByTestId('edit-record-dialog')).not.toBeInTheDocument());
    expect(saves(backend.calls)).toEqual([
      [
        { kind: 'value', path: 'referrals/rf1/date', value: '' },
        { kind: 'value', path: 'referrals/rf1/outcome', value: 'Placed' },
      ],
    ]);
  });

  it("saves an interview's plan as collaborative text and its boxes as true or false", async () => {
    asRole('investigator');
    const backend = mockBackend({});
    const { user } = renderWithUser(InterviewsTab, { c, reload: async () => {} });
    await user.click(screen.getByTestId('edit-interview'));
    const dialog = screen.getByTestId('edit-record-dialog');

    await user.click(within(dialog).getByTestId('edit-record-consent_given'));
    await user.type(within(dialog).getByTestId('edit-record-plan'), ' Breaks every hour.');
    await user.click(within(dialog).getByTestId('edit-record-save'));

    await waitFor(() => expect(screen.queryByTestId('edit-record-dialog')).not.toBeInTheDocument());
    expect(saves(backend.calls)).toEqual([
      [
        { kind: 'value', path: 'interviews/iv1/consent_given', value: 'true' },
        { kind: 'text', path: 'interviews/iv1/plan', text: 'Welfare check first. Breaks every hour.' },
      ],
    ]);
  });

  it('saves a risk’s severity and an evidence item’s kind by their values', async () => {
    asRole('investigator');
    const backend = mockBackend({});
    const first = renderWithUser(RisksTab, { c, reload: async () => {} });
    await first.user.click(screen.getByTestId('edit-risk'));
    await first.user.selectOptions(screen.getByTestId('edit-record-severity'), '5');
    await first.user.click(screen.getByTestId('edit-record-save'));
    await waitFor(() => expect(screen.queryByTestId('edit-record-dialog')).not.toBeInTheDocument());
    first.unmount();

    const second = renderWithUser(EvidenceCard, { caseId: 'c1', ev: evidence(), reload: async () => {} });
    await second.user.click(screen.getByTestId('edit-evidence'));
    expect(screen.getByTestId('edit-record-label')).toHaveValue('Phone 1');
    await second.user.selectOptions(screen.getByTestId('edit-record-kind'), 'computer');
    await second.user.click(screen.getByTestId('edit-record-save'));
    await waitFor(() => expect(screen.queryByTestId('edit-record-dialog')).not.toBeInTheDocument());

    expect(saves(backend.calls)).toEqual([[{ kind: 'value', path: 'risks/rk1/severity', value: '5' }], [{ kind: 'value', path: 'evidence/e1/kind', value: 'computer' }]]);
  });

  it('shows a refusal by its code in the reader’s language and stays open; saved again, it sends the same fields', async () => {
    asRole('investigator', 'ru');
    let tries = 0;
    const backend = mockBackend({
      set_fields: (args) => {
        if (tries++ === 0) refuse('policy.denied')(args);
        return null;
      },
    });
    const reload = vi.fn(async () => {});
    const { user } = renderWithUser(TimelineTab, { c, reload });
    await user.click(screen.getByTestId('edit-event'));
    const dialog = screen.getByTestId('edit-record-dialog');
    await user.selectOptions(within(dialog).getByTestId('edit-record-kind'), 'exploitation');
    await user.clear(within(dialog).getByTestId('edit-record-place'));
    await user.type(within(dialog).getByTestId('edit-record-place'), 'Kiln, Kaskelen');
    await user.click(within(dialog).getByTestId('edit-record-save'));

    expect(await within(dialog).findByTestId('error-message')).toHaveTextContent(ru['error.policy.denied']);
    expect(dialog).not.toHaveTextContent('English message');
    expect(screen.getByTestId('edit-record-dialog')).toBeInTheDocument();

    await user.click(within(dialog).getByTestId('edit-record-save'));
    await waitFor(() => expect(screen.queryByTestId('edit-record-dialog')).not.toBeInTheDocument());
    // Refused as a whole, nothing was written: both fields are sent again.
    expect(saves(backend.calls).map((fields) => fields.map((f) => f.path))).toEqual([
      ['timeline/tl1/kind', 'timeline/tl1/place'],
      ['timeline/tl1/kind', 'timeline/tl1/place'],
    ]);
    expect(reload).toHaveBeenCalledTimes(2);
  });

  // Regression: every whole number in an edit form was capped at 120 (an
  // age's bound), so a compensation of 3 000 000 or a sentence of 180
  // months could not be saved from the form.
  it('bounds an age at 120 but not an amount or a sentence in months', async () => {
    asRole('prosecutor');
    const backend = mockBackend({});
    const fields = [
      { field: 'awarded', label: 'Awarded', kind: 'number' as const, value: '', optional: true },
      { field: 'custodial_months', label: 'Months', kind: 'number' as const, value: '', optional: true },
      { field: 'age_at_trafficking', label: 'Age', kind: 'number' as const, value: '', optional: true, max: 120 },
    ];
    const { user } = renderWithUser(EditRecordDialog, { title: 'Correct', caseId: 'c1', base: 'compensation/co1', fields, onclose: () => {}, reload: async () => {} });
    const awarded = screen.getByTestId('edit-record-awarded') as HTMLInputElement;
    const months = screen.getByTestId('edit-record-custodial_months') as HTMLInputElement;
    const age = screen.getByTestId('edit-record-age_at_trafficking') as HTMLInputElement;
    await user.type(awarded, '3000000');
    await user.type(months, '180');
    await user.type(age, '130');
    expect(awarded.checkValidity()).toBe(true);
    expect(months.checkValidity()).toBe(true);
    expect(age.checkValidity()).toBe(false);
    await user.clear(age);
    await user.click(screen.getByTestId('edit-record-save'));
    await waitFor(() => expect(saves(backend.calls)).toHaveLength(1));
    expect(saves(backend.calls)[0]).toEqual([
      { kind: 'value', path: 'compensation/co1/awarded', value: '3000000' },
      { kind: 'value', path: 'compensation/co1/custodial_months', value: '180' },
    ]);
  });

  const tabs: Array<[string, Component<{ c: typeof c; reload: () => Promise<void> }>, string]> = [
    ['tasks', TasksTab, 'edit-task'],
    ['timeline', TimelineTab, 'edit-event'],
    ['referrals', ReferralsTab, 'edit-referral'],
    ['risks', RisksTab, 'edit-risk'],
    ['interviews', InterviewsTab, 'edit-interview'],
  ];
  const readers: Role[] = ['prosecutor'];
  it.each(tabs)('offers no Edit on %s to a role that may not change them', (_, tab, testid) => {
    for (const role of readers) {
      asRole(role);
      mockBackend({ team: team() });
      const { unmount } = renderWithUser(tab, { c, reload: async () => {} });
      expect(screen.queryByTestId(testid)).not.toBeInTheDocument();
      unmount();
    }
  });

  it('offers no Edit on an evidence item to a supervisor', () => {
    asRole('supervisor');
    mockBackend({});
    renderWithUser(EvidenceCard, { caseId: 'c1', ev: evidence(), reload: async () => {} });
    expect(screen.queryByTestId('edit-evidence')).not.toBeInTheDocument();
  });
});
