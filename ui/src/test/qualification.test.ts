import { describe, it, expect } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import Qualification from '../screens/case/Qualification.svelte';
import { asRole, caseDto } from './fixtures';
import { mockBackend, renderWithUser } from './backend';

const option = (article: string, title: string, extra = {}) => ({
  key: `KZ-2014-${article}`,
  jurisdiction: 'KZ',
  code_year: 2014,
  article,
  title,
  title_lang: 'en',
  in_force_from: '2015-01-01',
  related: false,
  verified: true,
  source: 'https://adilet.zan.kz/rus/docs/K1400000226',
  ...extra,
});
const offered = [option('128', 'Trafficking in persons'), option('135', 'Trafficking in minors')];

const qualified = (article: string, part: string | null, paragraph: string | null, extra = {}) => ({
  key: [`KZ-2014-${article}`, part, paragraph].filter((x) => x !== null).join(':'),
  article: { jurisdiction: 'KZ', code_year: 2014, article, part, paragraph, in_force_from: '2015-01-01' },
  titles: { en: 'Trafficking in persons', ru: 'Торговля людьми' },
  related: false,
  verified: true,
  ...extra,
});

describe('legal qualification', () => {
  it('offers the jurisdiction’s articles and adds the chosen one with part and paragraph', async () => {
    asRole('investigator');
    const backend = mockBackend({ articles: offered });
    let reloaded = false;
    const { user } = renderWithUser(Qualification, {
      c: caseDto({ jurisdiction: 'KZ', qualification: [] }),
      reload: async () => {
        reloaded = true;
      },
    });
    const pick = await screen.findByTestId('article-pick');
    expect(backend.argsOf('articles')).toEqual({ jurisdiction: 'KZ', lang: 'en' });
    await waitFor(() => expect(pick.querySelectorAll('option').length).toBe(3));
    await user.selectOptions(pick, 'KZ-2014-135');
    await user.type(screen.getByTestId('article-part'), ' 2 ');
    await user.type(screen.getByTestId('article-paragraph'), '1');
    await user.click(screen.getByTestId('add-article'));
    expect(backend.argsOf('add_article')).toEqual({ case_id: 'c1', key: 'KZ-2014-135', part: '2', paragraph: '1' });
    expect(reloaded).toBe(true);
    expect(screen.queryByTestId('propose-article')).toBeNull();
  });

  it('sends no part or paragraph left blank', async () => {
    asRole('investigator');
    const backend = mockBackend({ articles: offered });
    const { user } = renderWithUser(Qualification, {
      c: caseDto({ jurisdiction: 'KZ', qualification: [] }),
      reload: async () => {},
    });
    const pick = await screen.findByTestId('article-pick');
    await waitFor(() => expect(pick.querySelectorAll('option').length).toBe(3));
    await user.selectOptions(pick, 'KZ-2014-128');
    await user.click(screen.getByTestId('add-article'));
    expect(backend.argsOf('add_article')).toEqual({ case_id: 'c1', key: 'KZ-2014-128', part: null, paragraph: null });
  });

  it('shows part, paragraph, title and whether an article is verified', () => {
    asRole('investigator');
    mockBackend({ articles: offered });
    render(Qualification, {
      props: {
        c: caseDto({
          qualification: [qualified('128', '3', '2'), qualified('308', null, null, { related: true, verified: false })],
        }),
        reload: async () => {},
      },
    });
    const rows = screen.getAllByTestId('article-row');
    expect(rows[0]).toHaveTextContent('Art. 128, part 3, paragraph 2');
    expect(rows[0]).toHaveTextContent('Trafficking in persons');
    expect(rows[1]).toHaveTextContent('charged alongside trafficking');
    expect(screen.getAllByTestId('article-unverified')).toHaveLength(1);
  });

  it('lets the prosecutor agree or propose where the procedure gives them the role', async () => {
    asRole('prosecutor');
    const backend = mockBackend({ articles: offered });
    const { user } = renderWithUser(Qualification, {
      c: caseDto({
        jurisdiction: 'KZ',
        prosecutor_qualifies: true,
        qualification: [qualified('128', '2', null)],
        qualification_opinions: [
          {
            id: 'r1',
            agrees: false,
            articles: [qualified('128', '3', '2')],
            comment: 'organised group',
            by: { id: 'm-p', name: 'Gulnara' },
            at: 0,
            outdated: false,
          },
        ],
      }),
      reload: async () => {},
    });
    expect(screen.getByTestId('qualification-opinion')).toHaveTextContent('Gulnara proposes');
    expect(screen.getByTestId('qualification-opinion')).toHaveTextContent('Art. 128, part 3, paragraph 2');
    expect(screen.queryByTestId('add-article')).toBeNull();
    await user.type(await screen.findByTestId('prosecutor-comment'), 'agreed');
    await user.click(screen.getByTestId('agree-qualification'));
    expect(backend.argsOf('agree_with_qualification')).toEqual({ case_id: 'c1', comment: 'agreed' });
    const pick = await screen.findByTestId('article-pick');
    await waitFor(() => expect(pick.querySelectorAll('option').length).toBe(3));
    await user.selectOptions(pick, 'KZ-2014-135');
    await user.type(screen.getByTestId('article-part'), '2');
    await user.click(screen.getByTestId('propose-article'));
    expect(backend.argsOf('propose_article')).toEqual({
      case_id: 'c1',
      key: 'KZ-2014-135',
      part: '2',
      paragraph: null,
      comment: '',
    });
  });

  it('is read-only for a prosecutor whose procedure gives them no such role', () => {
    asRole('prosecutor');
    const backend = mockBackend({ articles: offered });
    render(Qualification, {
      props: {
        c: caseDto({ prosecutor_qualifies: false, qualification: [qualified('128', null, null)] }),
        reload: async () => {},
      },
    });
    expect(screen.getByTestId('article-row')).toHaveTextContent('128');
    expect(screen.queryByTestId('article-pick')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
    expect(backend.commands()).not.toContain('articles');
  });
});
