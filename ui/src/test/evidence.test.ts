import { describe, it, expect } from 'vitest';
import { screen, within, waitFor } from '@testing-library/svelte';
import EvidenceCard from '../screens/case/EvidenceCard.svelte';
import EvidenceTab from '../screens/case/EvidenceTab.svelte';
import { setLang } from '$lib/i18n/index.svelte';
import { en } from '$lib/i18n/catalogues';
import { typedDay, today } from '$lib/dates';
import { session } from '$lib/session.svelte';
import { asRole, caseDto, evidence, status } from './fixtures';
import { mockBackend, renderWithUser } from './backend';

const card = (ev = evidence()) => ({ caseId: 'c1', ev, reload: async () => {} });

describe('evidence card', () => {
  it('regression: a new item shows who holds it, and the hand-over form starts from them, dated today', async () => {
    asRole('investigator');
    setLang('en');
    mockBackend({});
    const { user } = renderWithUser(EvidenceCard, card());
    expect(screen.getByTestId('evidence-holder')).toHaveTextContent('Det. Omarov');
    expect(screen.getByTestId('evidence-seized-by')).toHaveTextContent('Det. Omarov');
    await user.click(screen.getByTestId('custody-transfer'));
    expect(screen.getByTestId('custody-from')).toHaveValue('Det. Omarov');
    expect(screen.getByTestId('custody-date')).toHaveValue(typedDay(today()));
    // The time is the person's to type: the moment it took place.
    expect(screen.getByTestId('custody-time')).toHaveValue('');
    expect(screen.getByTestId('save-custody')).toBeDisabled();
  });

  it('says a hand-over is final, asks before recording it, and records the moment typed', async () => {
    asRole('investigator');
    setLang('en');
    const backend = mockBackend({ transfer_custody: 'k1' });
    const { user } = renderWithUser(EvidenceCard, card());
    await user.click(screen.getByTestId('custody-transfer'));
    expect(screen.getByTestId('custody-final')).toHaveTextContent(en['evidence.final']);
    await user.type(screen.getByTestId('custody-to'), 'Forensic lab');
    await user.type(screen.getByTestId('custody-place'), 'Almaty');
    const date = screen.getByTestId('custody-date');
    await user.clear(date);
    await user.type(date, '01.03.2026');
    await user.type(screen.getByTestId('custody-time'), '9:15');
    await user.click(screen.getByTestId('save-custody'));
    // Asked first: nothing recorded yet, and Cancel records nothing.
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByTestId('custody-confirm-summary')).toHaveTextContent('Det. Omarov → Forensic lab');
    expect(backend.commands()).not.toContain('transfer_custody');
    await user.click(within(dialog).getByText(en['common.cancel']));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(backend.commands()).not.toContain('transfer_custody');
    await user.click(screen.getByTestId('save-custody'));
    await user.click(within(screen.getByRole('dialog')).getByTestId('custody-confirm'));
    await waitFor(() =>
      expect(backend.argsOf('transfer_custody')).toEqual({
        case_id: 'c1',
        evidence_id: 'e1',
        transfer: {
          from: 'Det. Omarov',
          to: 'Forensic lab',
          place: 'Almaty',
          at: new Date(2026, 2, 1, 9, 15).getTime(),
          seal_number: null,
          purpose: null,
        },
      }),
    );
  });

  it('holds Record back while the time is not a time', async () => {
    asRole('investigator');
    setLang('en');
    mockBackend({});
    const { user } = renderWithUser(EvidenceCard, card());
    await user.click(screen.getByTestId('custody-transfer'));
    await user.type(screen.getByTestId('custody-to'), 'Forensic lab');
    await user.type(screen.getByTestId('custody-place'), 'Almaty');
    await user.type(screen.getByTestId('custody-time'), '25:00');
    expect(screen.getByText(en['evidence.time_invalid'])).toBeInTheDocument();
    expect(screen.getByTestId('save-custody')).toBeDisabled();
  });

  it('attaches the file whose path is typed when Enter is pressed in the path field, which comes before its button', async () => {
    asRole('investigator');
    setLang('en');
    const backend = mockBackend({
      attach: { id: 'a1', sha256: 'ab'.repeat(32), file_name: 'seal.jpg', media_type: 'image/jpeg', size: 2048, evidence_id: 'e1' },
    });
    const { user } = renderWithUser(EvidenceCard, card());
    const path = screen.getByTestId('attach-path');
    const button = screen.getByTestId('attach-file');
    expect(path.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    await user.type(path, '/home/a/seal.jpg{Enter}');
    await waitFor(() => expect(backend.argsOf('attach')).toEqual({ case_id: 'c1', evidence_id: 'e1', path: '/home/a/seal.jpg' }));
    expect(backend.commands()).not.toContain('pick_file');
    expect(await screen.findByTestId('evidence-notice')).toHaveTextContent('seal.jpg');
  });

  it("shows the attached file's name, type and size, and exports it for those who may see the case", async () => {
    asRole('prosecutor');
    setLang('en');
    const backend = mockBackend({
      export_attachment: { id: 'a1', sha256: 'ab'.repeat(32), file_name: 'seal.jpg', media_type: 'image/jpeg', size: 48_213, evidence_id: 'e1' },
    });
    const ev = evidence({
      attachment: { sha256: 'ab'.repeat(32), file_name: 'seal.jpg', media_type: 'image/jpeg', size: 48_213 },
    });
    const { user } = renderWithUser(EvidenceCard, card(ev));
    expect(screen.getByTestId('evidence-file-name')).toHaveTextContent('seal.jpg');
    expect(screen.getByTestId('evidence-file-type')).toHaveTextContent('image/jpeg');
    expect(screen.getByTestId('evidence-file-size')).toHaveTextContent('48.2 kB');
    expect(screen.getByTestId('evidence-sha256')).toHaveTextContent('ab'.repeat(32));
    // A prosecutor records nothing here, but may write the file out.
    expect(screen.queryByTestId('attach-file')).toBeNull();
    await user.type(screen.getByTestId('export-attachment-path'), '/home/a/copy.jpg');
    await user.click(screen.getByTestId('export-attachment'));
    await waitFor(() =>
      expect(backend.argsOf('export_attachment')).toEqual({ case_id: 'c1', evidence_id: 'e1', path: '/home/a/copy.jpg' }),
    );
    expect(await screen.findByTestId('evidence-notice')).toHaveTextContent('/home/a/copy.jpg');
  });

  it('offers no export without a file, nor to a device without a team', () => {
    asRole('investigator');
    setLang('en');
    mockBackend({});
    const bare = renderWithUser(EvidenceCard, card());
    expect(screen.queryByTestId('export-attachment')).toBeNull();
    expect(screen.queryByTestId('evidence-file')).toBeNull();
    bare.unmount();
    session.status = status(null);
    const ev = evidence({ attachment: { sha256: 'ab'.repeat(32), file_name: null, media_type: null, size: null } });
    renderWithUser(EvidenceCard, card(ev));
    // Attached before names were kept: what is known is shown.
    expect(screen.getByTestId('evidence-file-name')).toHaveTextContent(en['evidence.file_unnamed']);
    expect(screen.queryByTestId('export-attachment')).toBeNull();
  });
});

describe('evidence tab', () => {
  it('records who seized a new item and the date it was seized', async () => {
    asRole('investigator');
    setLang('en');
    const backend = mockBackend({ add_evidence: 'e2' });
    const { user } = renderWithUser(EvidenceTab, { c: caseDto(), reload: async () => {} });
    await user.click(screen.getByTestId('add-evidence'));
    await user.type(screen.getByTestId('evidence-label'), 'Ledger');
    await user.type(screen.getByTestId('evidence-seized-by'), 'Det. Omarov');
    await user.type(screen.getByTestId('evidence-seized-on'), '31.02.2026');
    expect(screen.getByTestId('save-evidence')).toBeDisabled();
    await user.clear(screen.getByTestId('evidence-seized-on'));
    await user.type(screen.getByTestId('evidence-seized-on'), '01.03.2026');
    await user.click(screen.getByTestId('save-evidence'));
    await waitFor(() => expect(backend.argsOf('add_evidence')).toBeDefined());
    const sent = backend.argsOf('add_evidence')!.evidence;
    expect(sent.seized_by).toBe('Det. Omarov');
    expect(sent.seized_at).toBe(new Date(2026, 2, 1).getTime());
  });
});
