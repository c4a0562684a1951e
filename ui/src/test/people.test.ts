import { describe, it, expect } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import type { UserEvent } from '@testing-library/user-event';
import PeopleTab from '../screens/case/PeopleTab.svelte';
import { asRole, caseDto } from './fixtures';
import { mockBackend, refuse, renderWithUser } from './backend';

/** Renders the tab of a case without people; `reloaded` tells whether it asked for the case again. */
function emptyTab() {
  const state = { reloaded: false };
  const { user } = renderWithUser(PeopleTab, { c: caseDto({ people: [] }), reload: async () => { state.reloaded = true; } });
  return { user, state };
}

async function fillWitness(user: UserEvent) {
  await user.click(screen.getByTestId('add-person'));
  await user.type(screen.getByTestId('person-pseudonym'), 'W-02');
  await user.type(screen.getByTestId('person-full-name'), 'Rustam Aliev');
}

describe('people tab', () => {
  it('offers the details each kind of person keeps, and sends none of another kind', async () => {
    asRole('investigator');
    const backend = mockBackend({ add_person: 'p2' });
    const { user } = emptyTab();
    await fillWitness(user);
    await user.type(screen.getByTestId('person-age'), '17');
    await user.click(screen.getByLabelText('forced begging'));
    await user.selectOptions(screen.getByTestId('person-kind'), 'witness');
    expect(screen.queryByTestId('person-age')).toBeNull();
    expect(screen.queryByLabelText('forced begging')).toBeNull();
    expect(screen.queryByTestId('person-citizenship')).toBeNull();
    await user.type(screen.getByTestId('person-relation'), 'neighbour');
    await user.click(screen.getByTestId('save-person'));
    expect(backend.argsOf('add_person')).toMatchObject({
      person: { kind: 'witness', relation: 'neighbour', age_at_trafficking: null, exploitation: [], sex: 'non_specified_unknown', citizenships: [] },
    });
  });

  it('masks identities until Reveal, which calls reveal_person', async () => {
    asRole('investigator');
    const backend = mockBackend({
      reveal_person: { full_name: 'Dilnoza Karimova', other_names: null, birth_date: '2006-04-02', document_numbers: 'AB1234567', contact: null, address: null },
    });
    const { user } = renderWithUser(PeopleTab, { c: caseDto(), reload: async () => {} });

    const row = screen.getByTestId('person-row');
    expect(within(row).getByText('V-01')).toBeInTheDocument();
    expect(within(row).getByTestId('identity-full-name')).toHaveTextContent('••••');
    expect(within(row).getByTestId('identity-document-numbers')).toHaveTextContent('••••');
    expect(row).not.toHaveTextContent('Dilnoza');
    expect(backend.commands()).not.toContain('reveal_person');

    await user.click(within(row).getByTestId('reveal'));
    expect(backend.argsOf('reveal_person')).toEqual({ case_id: 'c1', person_id: 'p1' });
    expect(await within(row).findByText('Dilnoza Karimova')).toHaveAttribute('data-testid', 'identity-full-name');
    expect(within(row).getByTestId('identity-document-numbers')).toHaveTextContent('AB1234567');
    expect(within(row).getByRole('status')).toHaveTextContent(/audit/i);

    await user.click(within(row).getByTestId('hide'));
    expect(within(row).getByTestId('identity-full-name')).toHaveTextContent('••••');
  });

  it('adds a person with the form', async () => {
    asRole('investigator');
    const backend = mockBackend({ add_person: 'p2' });
    const { user, state } = emptyTab();
    await fillWitness(user);
    await user.click(screen.getByLabelText('forced begging'));
    await user.click(screen.getByTestId('save-person'));
    expect(backend.argsOf('add_person')).toMatchObject({ case_id: 'c1', person: { kind: 'victim', pseudonym: 'W-02', full_name: 'Rustam Aliev', exploitation: ['forced_begging'] } });
    expect(state.reloaded).toBe(true);
  });

  it('regression: an age typed in the form is sent as a number (saving failed with an unexpected error)', async () => {
    asRole('investigator');
    const backend = mockBackend({ add_person: 'p2' });
    const { user } = emptyTab();
    await fillWitness(user);
    await user.type(screen.getByTestId('person-age'), '17');
    await user.click(screen.getByTestId('save-person'));
    expect(backend.argsOf('add_person')).toMatchObject({ person: { age_at_trafficking: 17 } });
    expect(screen.queryByTestId('error-message')).toBeNull();
  });

  it('regression: a birth date typed day first in the Russian UI is stored as typed, and a date that is not one holds Save back with a message', async () => {
    asRole('investigator', 'ru');
    const backend = mockBackend({ add_person: 'p2' });
    const { user } = emptyTab();
    await fillWitness(user);
    const birth = screen.getByTestId('person-birth-date');
    expect(birth).toHaveAttribute('placeholder', 'ДД.ММ.ГГГГ');
    await user.type(birth, '15.03');
    expect(screen.getByTestId('save-person')).toBeDisabled();
    expect(screen.getByTestId('person-birth-date-hint')).toHaveTextContent('Это не дата');
    await user.type(birth, '.2009');
    expect(screen.getByTestId('person-birth-date-hint')).toHaveTextContent('2009');
    await user.click(screen.getByTestId('save-person'));
    expect(backend.argsOf('add_person')).toMatchObject({ person: { birth_date: '2009-03-15' } });
  });

  it('keeps a refused person in the form with the translated error, and Cancel drops it', async () => {
    asRole('investigator');
    mockBackend({ add_person: refuse('case.invalid') });
    const { user, state } = emptyTab();
    await fillWitness(user);
    await user.click(screen.getByTestId('save-person'));
    expect(await screen.findByTestId('error-message')).toHaveTextContent('Some of the case details are not valid.');
    expect(screen.getByTestId('person-full-name')).toHaveValue('Rustam Aliev');
    expect(state.reloaded).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByTestId('add-person'));
    expect(screen.getByTestId('person-full-name')).toHaveValue('');
    expect(screen.queryByTestId('error-message')).toBeNull();
  });

  it('offers no Add person to a prosecutor', () => {
    asRole('prosecutor');
    mockBackend();
    render(PeopleTab, { props: { c: caseDto(), reload: async () => {} } });
    expect(screen.queryByTestId('add-person')).toBeNull();
    expect(screen.getByTestId('reveal')).toBeInTheDocument();
  });
});
