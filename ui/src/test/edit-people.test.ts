// Editing a person: identity fields start masked and blank, a new value is
// sent without the old one being shown, a reveal (audited by the core)
// fills them in; lists are sent whole with `set_list`. A record's history
// lists who changed what, identity values hidden until asked for.
import { describe, it, expect, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import PeopleTab from '../screens/case/PeopleTab.svelte';
import RecordHistory from '$lib/components/RecordHistory.svelte';
import { personFields } from '$lib/recordFields';
import type { HistoryEntry } from '$lib/bindings/HistoryEntry';
import { asRole, caseDto, person } from './fixtures';
import { mockBackend, renderWithUser, type Args } from './backend';

const REAL_NAME = 'Rustam Aliev';
const identity = { full_name: REAL_NAME, other_names: null, birth_date: '2002-05-14', document_numbers: 'AA1234567', contact: null, address: 'Jizzakh' };
const c = caseDto({ people: [person({ id: 'p1', exploitation: ['forced_labour'], languages: ['uzb'] })] });

/** The edit form has some fifty controls: more than five seconds on a loaded machine. */
const SLOW_MS = 20_000;

const edits = (calls: Array<[string, Args]>) =>
  calls.filter(([cmd]) => cmd.startsWith('set_')).map(([cmd, args]) => [cmd, args]);

describe('editing a person', () => {
  it('changes an identity field without showing the old value, and a list element by element', async () => {
    asRole('investigator');
    const backend = mockBackend({ reveal_person: identity });
    const reload = vi.fn(async () => {});
    const { user } = renderWithUser(PeopleTab, { c, reload });
    await user.click(screen.getByTestId('edit-person'));
    const dialog = screen.getByTestId('edit-record-dialog');

    const name = within(dialog).getByTestId('edit-record-identity-full_name');
    expect(name).toHaveValue('');
    expect(dialog).not.toHaveTextContent(REAL_NAME);
    // Blank masked fields are not changes.
    expect(within(dialog).getByTestId('edit-record-save')).toBeDisabled();

    await user.type(name, 'Rustam Aliyev');
    await user.click(within(dialog).getByTestId('edit-record-exploitation-sexual_exploitation'));
    await user.click(within(dialog).getByTestId('edit-record-exploitation-forced_labour'));
    await user.click(within(dialog).getByTestId('edit-record-save'));

    await waitFor(() => expect(screen.queryByTestId('edit-record-dialog')).not.toBeInTheDocument());
    expect(edits(backend.calls)).toEqual([
      [
        'set_fields',
        {
          case_id: 'c1',
          fields: [
            { kind: 'value', path: 'victims/p1/identity/full_name', value: 'Rustam Aliyev' },
            { kind: 'list', path: 'victims/p1/exploitation', values: ['sexual_exploitation'] },
          ],
        },
      ],
    ]);
    expect(backend.commands()).not.toContain('reveal_person');
    expect(reload).toHaveBeenCalled();
  }, SLOW_MS);

  it('fills the identity fields in once revealed, and clears one revealed', async () => {
    asRole('investigator');
    const backend = mockBackend({ reveal_person: identity });
    const { user } = renderWithUser(PeopleTab, { c, reload: async () => {} });
    await user.click(screen.getByTestId('edit-person'));
    const dialog = screen.getByTestId('edit-record-dialog');
    await user.click(within(dialog).getByTestId('edit-record-reveal'));

    const address = within(dialog).getByTestId('edit-record-identity-address');
    await waitFor(() => expect(address).toHaveValue('Jizzakh'));
    expect(within(dialog).getByTestId('edit-record-identity-full_name')).toHaveValue(REAL_NAME);
    expect(backend.argsOf('reveal_person')).toEqual({ case_id: 'c1', person_id: 'p1' });
    expect(within(dialog).getByTestId('edit-record-save')).toBeDisabled();

    await user.clear(address);
    // The full name is required: cleared, it cannot be saved.
    await user.clear(within(dialog).getByTestId('edit-record-identity-full_name'));
    expect(within(dialog).getByTestId('edit-record-save')).toBeDisabled();
    await user.type(within(dialog).getByTestId('edit-record-identity-full_name'), REAL_NAME);
    await user.click(within(dialog).getByTestId('edit-record-save'));
    await waitFor(() => expect(screen.queryByTestId('edit-record-dialog')).not.toBeInTheDocument());
    expect(edits(backend.calls)).toEqual([['set_fields', { case_id: 'c1', fields: [{ kind: 'value', path: 'victims/p1/identity/address', value: '' }] }]]);
  }, SLOW_MS);

  it('offers each kind of person its own fields, and editing only to those who may', async () => {
    asRole('investigator');
    const fields = (kind: 'victim' | 'suspect' | 'witness') => personFields(person({ kind })).map((f) => f.field);
    expect(fields('suspect')).toContain('roles');
    expect(fields('suspect')).not.toContain('exploitation');
    expect(fields('witness')).toContain('relation');
    expect(fields('victim')).toEqual(expect.arrayContaining(['identity/full_name', 'languages', 'status', 'status_decided_by', 'recruitment', 'control_methods']));

    asRole('prosecutor');
    mockBackend({});
    renderWithUser(PeopleTab, { c, reload: async () => {} });
    expect(screen.queryByTestId('edit-person')).not.toBeInTheDocument();
    expect(screen.getByTestId('person-history')).toBeInTheDocument();
  });
});

const history: (reveal: boolean) => HistoryEntry[] = (reveal) => [
  {
    at: Date.UTC(2026, 0, 5),
    by: { id: 'm-aibek', name: 'Aibek' },
    created: true,
    fields: [
      { field: 'pseudonym', sensitive: false, value: { kind: 'value', value: 'V-01' } },
      { field: 'identity/full_name', sensitive: true, value: reveal ? { kind: 'value', value: REAL_NAME } : { kind: 'hidden' } },
    ],
  },
  {
    at: Date.UTC(2026, 0, 9),
    by: { id: 'm-dana', name: 'Dana' },
    created: false,
    fields: [
      { field: 'exploitation', sensitive: false, value: { kind: 'list', value: ['forced_labour', 'forced_begging'] } },
      { field: 'status', sensitive: false, value: { kind: 'value', value: 'actual_victim_of_trafficking' } },
      { field: 'age_at_trafficking', sensitive: false, value: { kind: 'unset' } },
    ],
  },
];

describe('a record history', () => {
  it('lists who changed what, in order, identity values hidden until asked for', async () => {
    asRole('prosecutor');
    const backend = mockBackend({ record_history: (a) => history(Boolean(a.reveal)) });
    const { user } = renderWithUser(RecordHistory, { caseId: 'c1', record: 'victims/p1', fields: personFields(person({ id: 'p1' })) });

    const entries = await screen.findAllByTestId('history-entry');
    expect(entries.map((e) => within(e).getByTestId('history-who').textContent)).toEqual(['Aibek', 'Dana']);
    expect(backend.argsOf('record_history')).toEqual({ case_id: 'c1', record: 'victims/p1', reveal: false });
    expect(screen.queryByText(REAL_NAME)).not.toBeInTheDocument();
    expect(within(entries[0]).getByTestId('history-value-identity-full_name')).toHaveTextContent('changed (hidden)');
    // Vocabulary values by their texts, and labels from the form's fields.
    expect(within(entries[1]).getByTestId('history-value-exploitation')).toHaveTextContent('forced labour, forced begging');
    expect(within(entries[1]).getByText('Victim status')).toBeInTheDocument();
    expect(within(entries[1]).getByTestId('history-value-age_at_trafficking')).toHaveTextContent('—');

    await user.click(screen.getByTestId('history-reveal'));
    await waitFor(() => expect(screen.getByTestId('history-value-identity-full_name')).toHaveTextContent(REAL_NAME));
    expect(backend.calls.filter(([cmd]) => cmd === 'record_history').map(([, a]) => a.reveal)).toEqual([false, true]);
    expect(screen.getByRole('status')).toHaveTextContent('audit log');
  });

  it('opens from a person card and from the edit form', async () => {
    asRole('investigator');
    const backend = mockBackend({ record_history: history(false) });
    const { user } = renderWithUser(PeopleTab, { c, reload: async () => {} });
    await user.click(screen.getByTestId('person-history'));
    expect(await screen.findAllByTestId('history-entry')).toHaveLength(2);
    await user.click(screen.getByTestId('edit-person'));
    await user.click(within(screen.getByTestId('edit-record-dialog')).getByTestId('edit-record-history'));
    await waitFor(() => expect(within(screen.getByTestId('edit-record-dialog')).getAllByTestId('history-entry')).toHaveLength(2));
    expect(backend.commands().filter((cmd) => cmd === 'record_history')).toHaveLength(2);
  });
});
