import { describe, it, expect } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import Qualification from '../screens/case/Qualification.svelte';
import { asRole, caseDto } from './fixtures';
import { mockBackend, renderWithUser } from './backend';

const offered = [
  { key: 'KZ-2014-128', jurisdiction: 'KZ', code_year: 2014, article: '128', title: 'Trafficking in persons' },
  { key: 'KZ-2014-135', jurisdiction: 'KZ', code_year: 2014, article: '135', title: 'Trafficking in minors' },
];

describe('legal qualification', () => {
  it('offers the jurisdiction’s articles and adds the chosen one by key', async () => {
    asRole('investigator');
    const backend = mockBackend({ articles: offered });
    let reloaded = false;
    const { user } = renderWithUser(Qualification, {
      c: caseDto({ jurisdiction: 'KZ', qualification: [] }),
      reload: async () => { reloaded = true; },
    });
    const pick = await screen.findByTestId('article-pick');
    expect(backend.argsOf('articles')).toEqual({ jurisdiction: 'KZ', lang: 'en' });
    await waitFor(() => expect(pick.querySelectorAll('option').length).toBe(3));
    await user.selectOptions(pick, 'KZ-2014-135');
    await user.click(screen.getByTestId('add-article'));
    expect(backend.argsOf('add_article')).toEqual({ case_id: 'c1', key: 'KZ-2014-135' });
    expect(reloaded).toBe(true);
  });

  it('is read-only for the prosecutor', () => {
    asRole('prosecutor');
    const backend = mockBackend({ articles: offered });
    render(Qualification, {
      props: {
        c: caseDto({ qualification: [{ jurisdiction: 'KZ', code_year: 2014, article: '128' }] }),
        reload: async () => {},
      },
    });
    expect(screen.getByTestId('article-row')).toHaveTextContent('128');
    expect(screen.queryByTestId('article-pick')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
    expect(backend.commands()).not.toContain('articles');
  });
});
