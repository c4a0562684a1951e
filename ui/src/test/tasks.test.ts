import { describe, it, expect } from 'vitest';
import { screen, within, fireEvent } from '@testing-library/svelte';
import TasksTab from '../screens/case/TasksTab.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { en } from '$lib/i18n/catalogues';
import { asRole, caseDto, member, team } from './fixtures';
import { mockBackend, renderWithUser } from './backend';

describe('tasks tab', () => {
  it('regression: says which role each possible assignee has, and warns of a due date already past', async () => {
    asRole('supervisor');
    setLang('en');
    mockBackend({
      team: team({
        members: [
          member({ id: 'm-aibek', name: 'Aibek', role: 'investigator' }),
          member({ id: 'm-gulnara', name: 'Gulnara', role: 'prosecutor' }),
        ],
      }),
    });
    renderWithUser(TasksTab, { c: caseDto({ tasks: [] }), reload: async () => {} });
    const assignee = screen.getByLabelText(en['tasks.assignee']);
    expect(await within(assignee).findByText('Aibek (investigator)')).toBeInTheDocument();
    expect(within(assignee).getByText('Gulnara (prosecutor)')).toBeInTheDocument();

    expect(screen.queryByTestId('task-due-past')).toBeNull();
    await fireEvent.input(screen.getByTestId('task-due'), { target: { value: '2001-01-01' } });
    expect(await screen.findByTestId('task-due-past')).toHaveTextContent(en['tasks.due_past']);
  });
});
