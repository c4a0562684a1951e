// An organised group's members after it was recorded: a suspect joins, a
// member's role or superior changes, a member leaves; a refusal is shown by
// its code in the reader's language; a role that may not keep groups sees
// the members only.
import { describe, it, expect, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { ru } from '$lib/i18n/catalogues';
import GroupsSection from '../screens/case/GroupsSection.svelte';
import { asRole, caseDto, group, person } from './fixtures';
import { mockBackend, refuse, renderWithUser } from './backend';

const c = caseDto({
  people: [person({ id: 'ps1', kind: 'suspect', pseudonym: 'S-1' }), person({ id: 'ps2', kind: 'suspect', pseudonym: 'S-2' })],
  groups: [group()],
});

describe('a group’s members', () => {
  it('adds a suspect answering to the leader, then changes and removes a member', async () => {
    asRole('investigator');
    const backend = mockBackend({});
    const reload = vi.fn(async () => {});
    const { user } = renderWithUser(GroupsSection, { c, reload });
    const form = screen.getByTestId('group-member-form');
    await user.selectOptions(within(form).getByTestId('group-member-person'), 'ps2');
    expect(within(form).getByTestId('group-member-save')).toHaveTextContent('Add member');
    await user.selectOptions(within(form).getByTestId('group-member-role'), 'accomplice');
    await user.selectOptions(within(form).getByTestId('group-member-superior'), 'ps1');
    await user.click(within(form).getByTestId('group-member-save'));
    await waitFor(() => expect(backend.argsOf('set_group_member')).toBeDefined());
    expect(backend.argsOf('set_group_member')).toEqual({
      case_id: 'c1',
      group_id: 'g1',
      member: { person_id: 'ps2', role: 'accomplice', superior: 'ps1' },
    });
    await waitFor(() => expect(reload).toHaveBeenCalled());

    // Choosing a member shows what they hold, to change it.
    await user.selectOptions(within(form).getByTestId('group-member-person'), 'ps1');
    expect(within(form).getByTestId('group-member-role')).toHaveValue('leader');
    expect(within(form).getByTestId('group-member-save')).toHaveTextContent('Save member');

    await user.click(screen.getByTestId('group-member-remove'));
    await waitFor(() => expect(backend.argsOf('remove_group_member')).toEqual({ case_id: 'c1', group_id: 'g1', person_id: 'ps1' }));
  });

  it('shows a refusal by its code in the reader’s language', async () => {
    asRole('investigator', 'ru');
    mockBackend({ remove_group_member: refuse('case.invalid') });
    const { user } = renderWithUser(GroupsSection, { c, reload: async () => {} });
    await user.click(screen.getByTestId('group-member-remove'));
    expect(await screen.findByTestId('error-message')).toHaveTextContent(ru['error.case.invalid']);
  });

  it('offers no change of members to a prosecutor', () => {
    asRole('prosecutor');
    mockBackend({});
    renderWithUser(GroupsSection, { c, reload: async () => {} });
    expect(screen.getAllByTestId('group-member-row')).toHaveLength(1);
    expect(screen.queryByTestId('group-member-form')).not.toBeInTheDocument();
    expect(screen.queryByTestId('group-member-remove')).not.toBeInTheDocument();
  });
});
