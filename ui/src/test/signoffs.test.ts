import { describe, it, expect } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import StageTrack from '../screens/case/StageTrack.svelte';
import ReviewTab from '../screens/case/ReviewTab.svelte';
import Assignees from '../screens/case/Assignees.svelte';
import type { CaseView } from '$lib/bindings/CaseView';
import type { SignOffView } from '$lib/bindings/SignOffView';
import { asRole, caseDto, checklist, checklistItem } from './fixtures';
import { mockBackend, refuse, renderWithUser } from './backend';

const marat = { id: 'm-marat', name: 'Marat' };
const day = 24 * 60 * 60 * 1000;
const at = Date.UTC(2026, 1, 3, 10, 0);

function signOff(over: Partial<SignOffView> = {}): SignOffView {
  return {
    target: { kind: 'stage', review_id: 'rv-1' },
    role: 'prosecutor',
    by: marat,
    at,
    text: 'Charges hold',
    withdrawn: null,
    may_withdraw: false,
    ...over,
  };
}

/** A case whose prosecution review is open and holds the given sign-offs. */
function reviewedCase(signoffs: SignOffView[]): CaseView {
  const c = caseDto({
    stages: [
      {
        stage: 'prosecution_review',
        status: 'active',
        opened_at: at - day,
        closed_at: null,
        gate: { ready: false, missing_items: [], missing_signoffs: ['prosecutor'], not_applicable_unsigned: [], unknown_templates: [], people: [] },
      },
    ],
  });
  c.signoffs = c.signoffs.map((s) => (s.stage === 'prosecution_review' ? { ...s, blocked: null, signoffs } : s));
  return c;
}

const reviewList = checklist({
  template_id: 'prosecution-review',
  stage: 'prosecution_review',
  items: [checklistItem({ id: 'act-proven', text: 'The act is proven' })],
});

describe('sign-offs on the Overview', () => {
  it('shows who signed off each stage and when, and withdrawn ones struck through with the reason', async () => {
    asRole('investigator');
    mockBackend({ checklists: [reviewList] });
    const c = reviewedCase([
      signOff({
        target: { kind: 'item', template_id: 'prosecution-review', item_id: 'act-proven' },
        text: null,
        withdrawn: { by: marat, at: at + day, reason: 'Signed the wrong item' },
      }),
      signOff({ at: at + 2 * day }),
    ]);
    render(StageTrack, { props: { c, reload: async () => {} } });
    const list = screen.getByTestId('stage-signoffs');
    expect(list).toHaveAttribute('data-stage', 'prosecution_review');
    const [withdrawn, standing] = within(list).getAllByTestId('signoff');
    expect(standing).toHaveAttribute('data-withdrawn', 'false');
    expect(standing).toHaveTextContent('Marat signed off the stage');
    expect(standing).toHaveTextContent('Charges hold');
    expect(withdrawn).toHaveAttribute('data-withdrawn', 'true');
    // The item is named by its text once the checklists are read.
    await waitFor(() => expect(withdrawn.querySelector('s')).toHaveTextContent('Marat signed off “The act is proven”'));
    expect(within(withdrawn).getByTestId('signoff-withdrawn')).toHaveTextContent(/Withdrawn by Marat, .*: Signed the wrong item/);
    // Nobody but the signer is offered to withdraw.
    expect(screen.queryByTestId('withdraw-signoff')).toBeNull();
  });

  it('asks the signer for the reason before withdrawing, and sends it with the sign-off', async () => {
    asRole('prosecutor');
    const backend = mockBackend({ checklists: [reviewList], withdraw_signoff: 'rv-2' });
    let reloaded = false;
    const c = reviewedCase([signOff({ may_withdraw: true })]);
    const { user } = renderWithUser(StageTrack, { c, reload: async () => { reloaded = true; } });
    await user.click(screen.getByTestId('withdraw-signoff'));
    const dialog = screen.getByTestId('withdraw-dialog');
    expect(dialog).toHaveTextContent('stays in the case, shown as withdrawn');
    const confirm = within(dialog).getByTestId('withdraw-confirm');
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByTestId('withdraw-reason'), '   ');
    expect(confirm).toBeDisabled();
    expect(backend.commands()).not.toContain('withdraw_signoff');
    await user.type(within(dialog).getByTestId('withdraw-reason'), 'The witness retracted');
    await user.click(confirm);
    await waitFor(() =>
      expect(backend.argsOf('withdraw_signoff')).toEqual({
        case_id: 'c1',
        target: { kind: 'stage', review_id: 'rv-1' },
        reason: 'The witness retracted',
      }),
    );
    await waitFor(() => expect(screen.queryByTestId('withdraw-dialog')).toBeNull());
    expect(reloaded).toBe(true);
  });

  it('keeps the dialog open with the reason for a refusal', async () => {
    asRole('prosecutor');
    mockBackend({ checklists: [], withdraw_signoff: refuse('signoff.not_signer') });
    const c = reviewedCase([signOff({ may_withdraw: true })]);
    const { user } = renderWithUser(StageTrack, { c, reload: async () => {} });
    await user.click(screen.getByTestId('withdraw-signoff'));
    await user.type(screen.getByTestId('withdraw-reason'), 'Mistake');
    await user.click(screen.getByTestId('withdraw-confirm'));
    const dialog = screen.getByTestId('withdraw-dialog');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Only the person who signed a sign-off may withdraw it.');
  });
});

describe('stage sign-off in the review', () => {
  it('is not offered on a stage not started, and says why', async () => {
    asRole('prosecutor');
    mockBackend({ add_review: 'rv1' });
    const { user } = renderWithUser(ReviewTab, { c: caseDto(), reload: async () => {} });
    // Chosen for a comment, then the kind becomes a sign-off.
    await user.selectOptions(screen.getByTestId('review-stage'), 'identification');
    await user.selectOptions(screen.getByTestId('review-kind'), 'sign_off');
    await user.type(screen.getByTestId('review-text'), 'Identification complete');
    expect(screen.getByTestId('signoff-blocked')).toHaveTextContent(
      'Identification has not been started: it can be signed off once it is open.',
    );
    expect(screen.getByTestId('add-review')).toBeDisabled();
    const options = screen.getByTestId('review-stage').querySelectorAll('option');
    const option = (value: string) => Array.from(options).find((o) => o.value === value)!;
    expect(option('identification')).toBeDisabled();
    expect(option('identification')).toHaveTextContent('not started');
    // Intake is open: offered.
    expect(option('intake')).not.toBeDisabled();
    await user.selectOptions(screen.getByTestId('review-stage'), 'intake');
    expect(screen.queryByTestId('signoff-blocked')).toBeNull();
    expect(screen.getByTestId('add-review')).toBeEnabled();
  });
});

describe('the reviewing prosecutor', () => {
  it('names the prosecutors who review the case instead of a dash', () => {
    asRole('investigator');
    mockBackend();
    const c = caseDto();
    c.assignment.reviewers = [
      { member: { id: 'm-dana', name: 'Dana' }, has_access: true, entries: 0, last_entry_at: null },
      { member: marat, has_access: false, entries: 2, last_entry_at: at },
    ];
    render(Assignees, { props: { c, reload: async () => {} } });
    const shown = screen.getByTestId('reviewers');
    const [dana, m] = within(shown).getAllByTestId('reviewer');
    expect(dana).toHaveTextContent('Dana');
    expect(m).toHaveTextContent('Marat');
    expect(m).toHaveTextContent('access withdrawn');
    expect(m).toHaveTextContent('last review entry');
    expect(shown).not.toHaveTextContent('—');
  });

  it('says plainly when no prosecutor has the case, and what to do', () => {
    asRole('investigator');
    mockBackend();
    render(Assignees, { props: { c: caseDto(), reload: async () => {} } });
    expect(screen.getByTestId('no-reviewer')).toHaveTextContent(
      'No prosecutor has this case yet. A supervisor or admin grants a prosecutor access to it (Team › Case access)',
    );
  });
});
