import { describe, it, expect } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import CaseView from '../screens/case/CaseView.svelte';
import DossierDialog from '../screens/case/DossierDialog.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { en, ru } from '$lib/i18n/catalogues';
import { asRole, caseDto } from './fixtures';
import { mockBackend, refuse, renderWithUser } from './backend';

const written = { pages: 21, bytes: 291_897, digest: '0762655165', revealed: false };

const props = { caseId: 'c1', reference: 'KZ-2026-0142', onclose: () => {} };

describe('court dossier', () => {
  it('is offered in the case view and opens its dialog', async () => {
    asRole('prosecutor');
    setLang('en');
    mockBackend({ show_case: caseDto(), articles: [] });
    const { user } = renderWithUser(CaseView, { caseId: 'c1' });
    await user.click(await screen.findByTestId('dossier-open'));
    expect(screen.getByTestId('dossier-language')).toBeInTheDocument();
    expect(screen.getByTestId('dossier-save')).toHaveTextContent(en['dossier.save']);
  });

  it('saves in the chosen language to the save dialog\'s path, identities masked by default', async () => {
    asRole('supervisor');
    setLang('en');
    const backend = mockBackend({ pick_file: '/home/s/KZ-2026-0142.pdf', write_dossier: written });
    const { user } = renderWithUser(DossierDialog, props);
    expect(screen.getByTestId('dossier-reveal')).not.toBeChecked();
    expect(screen.queryByTestId('dossier-reveal-warning')).toBeNull();
    await user.selectOptions(screen.getByTestId('dossier-language'), 'ru');
    await user.click(screen.getByTestId('dossier-save'));
    await waitFor(() =>
      expect(backend.argsOf('write_dossier')).toEqual({
        case_id: 'c1',
        options: { lang: 'ru', reveal: false },
        path: '/home/s/KZ-2026-0142.pdf',
      }),
    );
    expect(backend.argsOf('pick_file')).toEqual({ mode: 'save', kind: 'dossier', default_name: 'KZ-2026-0142.pdf' });
    expect(await screen.findByTestId('dossier-notice')).toHaveTextContent('/home/s/KZ-2026-0142.pdf');
  });

  it('warns before identities are revealed, and a typed path needs no dialog', async () => {
    asRole('supervisor');
    setLang('ru');
    const backend = mockBackend({ write_dossier: { ...written, revealed: true } });
    const { user } = renderWithUser(DossierDialog, props);
    await user.click(screen.getByTestId('dossier-reveal'));
    expect(screen.getByTestId('dossier-reveal-warning')).toHaveTextContent(ru['dossier.reveal_warning']);
    await user.type(screen.getByTestId('dossier-path'), '/tmp/out/dossier.pdf');
    await user.click(screen.getByTestId('dossier-save'));
    await waitFor(() =>
      expect(backend.argsOf('write_dossier')).toEqual({
        case_id: 'c1',
        options: { lang: 'ru', reveal: true },
        path: '/tmp/out/dossier.pdf',
      }),
    );
    expect(backend.commands()).not.toContain('pick_file');
  });

  it('shows a refusal in the reader\'s language', async () => {
    asRole('supervisor');
    setLang('ru');
    mockBackend({ write_dossier: refuse('app.path_refused') });
    const { user } = renderWithUser(DossierDialog, props);
    await user.type(screen.getByTestId('dossier-path'), 'relative.pdf');
    await user.click(screen.getByTestId('dossier-save'));
    expect(await screen.findByRole('alert')).toHaveTextContent(ru['error.app.path_refused']);
  });
});
