import { describe, it, expect } from 'vitest';
import { screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import TasksTab from '../screens/case/TasksTab.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { en, ru } from '$lib/i18n/catalogues';
import { asRole, caseDto, task, team } from './fixtures';
import { mockBackend, renderWithUser } from './backend';

// On a phone a table's rows are cards, each cell shown beside its column's
// name (phone.css reads it from the cell's data-label).
describe('tables on a phone', () => {
  it("labels every cell with its column's heading, a button's cell with none, and again in another language", async () => {
    asRole('supervisor');
    setLang('en');
    mockBackend({ team: team() });
    renderWithUser(TasksTab, {
      c: caseDto({ tasks: [task({ id: 't1', title: 'Request bank records' }), task({ id: 't2', title: 'Arrange an interpreter' })] }),
      reload: async () => {},
    });
    const rows = await screen.findAllByTestId('task-row');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const labels = Array.from(row.querySelectorAll('td')).map((td) => td.dataset.label);
      expect(labels).toEqual([en['tasks.done'], en['tasks.task'], en['tasks.assignee'], en['tasks.due'], en['cases.stage'], '']);
    }
    expect(within(rows[0]).getByText('Request bank records').closest('td')?.dataset.label).toBe(en['tasks.task']);

    setLang('ru');
    await tick();
    await tick();
    const first = screen.getAllByTestId('task-row')[0];
    expect(first.querySelectorAll('td')[1].dataset.label).toBe(ru['tasks.task']);
  });
});
