import { describe, it, expect } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import PeopleTab from '../screens/case/PeopleTab.svelte';
import { asRole, caseDto, err } from './fixtures';

describe('people tab', () => {
  it('masks identities until Reveal, which calls reveal_person', async () => {
    asRole('investigator');
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'reveal_person') {
        return { full_name: 'Dilnoza Karimova', other_names: null, birth_date: '2006-04-02', document_numbers: 'AB1234567', contact: null, address: null };
      }
      return null;
    });
    const user = userEvent.setup();
    render(PeopleTab, { props: { c: caseDto(), reload: async () => {} } });

    const row = screen.getByTestId('person-row');
    expect(within(row).getByText('V-01')).toBeInTheDocument();
    expect(within(row).getByTestId('identity-full-name')).toHaveTextContent('••••');
    expect(within(row).getByTestId('identity-document-numbers')).toHaveTextContent('••••');
    expect(row).not.toHaveTextContent('Dilnoza');
    expect(calls.some(([c]) => c === 'reveal_person')).toBe(false);

    await user.click(within(row).getByTestId('reveal'));
    expect(calls.find(([c]) => c === 'reveal_person')?.[1]).toEqual({ case_id: 'c1', person_id: 'p1' });
    expect(await within(row).findByText('Dilnoza Karimova')).toHaveAttribute('data-testid', 'identity-full-name');
    expect(within(row).getByTestId('identity-document-numbers')).toHaveTextContent('AB1234567');
    expect(within(row).getByRole('status')).toHaveTextContent(/audit/i);

    await user.click(within(row).getByTestId('hide'));
    expect(within(row).getByTestId('identity-full-name')).toHaveTextContent('••••');
  });

  it('adds a person with the form', async () => {
    asRole('investigator');
    let sent: unknown = null;
    mockIPC((cmd, args) => {
      if (cmd === 'add_person') {
        sent = args;
        return 'p2';
      }
      return null;
    });
    const user = userEvent.setup();
    let reloaded = false;
    render(PeopleTab, { props: { c: caseDto({ people: [] }), reload: async () => { reloaded = true; } } });
    await user.click(screen.getByTestId('add-person'));
    await user.selectOptions(screen.getByTestId('person-kind'), 'witness');
    await user.type(screen.getByTestId('person-pseudonym'), 'W-02');
    await user.type(screen.getByTestId('person-full-name'), 'Rustam Aliev');
    await user.click(screen.getByLabelText('forced begging'));
    await user.click(screen.getByTestId('save-person'));
    expect(sent).toMatchObject({ case_id: 'c1', person: { kind: 'witness', pseudonym: 'W-02', full_name: 'Rustam Aliev', exploitation: ['forced_begging'] } });
    expect(reloaded).toBe(true);
  });

  it('keeps a refused person in the form with the translated error, and Cancel drops it', async () => {
    asRole('investigator');
    mockIPC((cmd) => {
      if (cmd === 'add_person') throw err('case.invalid');
      return null;
    });
    const user = userEvent.setup();
    let reloaded = false;
    render(PeopleTab, { props: { c: caseDto({ people: [] }), reload: async () => { reloaded = true; } } });
    await user.click(screen.getByTestId('add-person'));
    await user.type(screen.getByTestId('person-pseudonym'), 'W-02');
    await user.type(screen.getByTestId('person-full-name'), 'Rustam Aliev');
    await user.click(screen.getByTestId('save-person'));
    expect(await screen.findByTestId('error-message')).toHaveTextContent('Some of the case details are not valid.');
    expect(screen.getByTestId('person-full-name')).toHaveValue('Rustam Aliev');
    expect(reloaded).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByTestId('add-person'));
    expect(screen.getByTestId('person-full-name')).toHaveValue('');
    expect(screen.queryByTestId('error-message')).toBeNull();
  });

  it('offers no Add person to a prosecutor', () => {
    asRole('prosecutor');
    mockIPC(() => null);
    render(PeopleTab, { props: { c: caseDto(), reload: async () => {} } });
    expect(screen.queryByTestId('add-person')).toBeNull();
    expect(screen.getByTestId('reveal')).toBeInTheDocument();
  });
});
