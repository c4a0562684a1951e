import { describe, it, expect } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import ReviewTab from '../screens/case/ReviewTab.svelte';
import ApproveJoin from '../screens/admin/ApproveJoin.svelte';
import Members from '../screens/admin/Members.svelte';
import { asRole, caseDto, device, member, team as teamDto } from './fixtures';
import { mockBackend, renderWithUser } from './backend';

describe('prosecutor review', () => {
  it('signs off a stage only once a stage is chosen', async () => {
    asRole('prosecutor');
    const backend = mockBackend({ add_review: 'rv1' });
    // Identification is open, so it may be signed off.
    const c = caseDto();
    c.signoffs = c.signoffs.map((s) => (s.stage === 'identification' ? { ...s, blocked: null } : s));
    const { user } = renderWithUser(ReviewTab, { c, reload: async () => {} });
    expect(screen.queryByRole('button', { name: 'Record decision' })).toBeNull();
    await user.selectOptions(screen.getByTestId('review-kind'), 'sign_off');
    await user.type(screen.getByTestId('review-text'), 'Identification complete');
    expect(screen.getByTestId('add-review')).toBeDisabled();
    await user.selectOptions(screen.getByTestId('review-stage'), 'identification');
    await user.click(screen.getByTestId('add-review'));
    expect(backend.argsOf('add_review')).toEqual({
      case_id: 'c1',
      kind: 'sign_off',
      stage: 'identification',
      text: 'Identification complete',
    });
  });

  it('offers investigators no review form', () => {
    asRole('investigator');
    mockBackend();
    render(ReviewTab, { props: { c: caseDto(), reload: async () => {} } });
    expect(screen.queryByTestId('review-form')).toBeNull();
  });
});

const admin = member({ name: 'Saule', role: 'admin' });
const team = teamDto({
  name: 'Almaty TIP unit',
  me: admin,
  members: [
    { ...admin, devices: [device()] },
    member({ id: 'm-aibek', name: 'Aibek', devices: [device({ id: 'dev-aibek', fingerprint: 'CCCC-DDDD', label: 'Field laptop' })] }),
  ],
});

describe('team admin', () => {
  it('shows the request fingerprint and approves only after it is confirmed', async () => {
    asRole('admin');
    const backend = mockBackend({
      inspect_join_request: { name: 'Timur', label: 'Field laptop 5', device: 'dev-t', fingerprint: 'H4JX-9QLE' },
      approve_join: team,
    });
    const { user } = renderWithUser(ApproveJoin, { onapproved: async () => {} });
    await user.type(screen.getByTestId('join-request-paste'), 'CARAVAN-JOIN v1 abc');
    await user.click(screen.getByRole('button', { name: 'Check request' }));
    const info = await screen.findByTestId('join-request-info');
    expect(info).toHaveTextContent('H4JX-9QLE');
    expect(info).toHaveTextContent('Timur');
    expect(screen.getByTestId('approve-join')).toBeDisabled();
    await user.click(screen.getByTestId('fingerprint-matches'));
    await user.selectOptions(screen.getByTestId('join-role'), 'prosecutor');
    await user.type(screen.getByTestId('join-package-out'), '/media/usb/timur.caravan-join');
    await user.click(screen.getByTestId('approve-join'));
    expect(backend.argsOf('approve_join')).toEqual({ request: 'CARAVAN-JOIN v1 abc', role: 'prosecutor', out_path: '/media/usb/timur.caravan-join' });
    // The admin is told to read out the team fingerprint with the package.
    expect(await screen.findByRole('status')).toHaveTextContent('11111 22222 33333 44444 55555 00666');
  });

  it('asks for confirmation before revoking a device', async () => {
    asRole('admin');
    const backend = mockBackend({ revoke: ['dev-aibek'] });
    const { user } = renderWithUser(Members, { team, onchanged: async () => {} });
    const buttons = screen.getAllByTestId('revoke-device');
    expect(buttons).toHaveLength(1); // not this device
    await user.click(buttons[0]);
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText('CCCC-DDDD')).toBeInTheDocument();
    expect(backend.commands()).not.toContain('revoke');
    await user.click(within(dialog).getByTestId('revoke-confirm'));
    await waitFor(() => expect(backend.argsOf('revoke')).toEqual({ device_or_member: 'dev-aibek', reason: null }));
  });

  it('regression: asks before changing a role (a choice in the list applied at once), and Cancel keeps the role', async () => {
    asRole('admin');
    const backend = mockBackend({ set_role: null });
    const { user } = renderWithUser(Members, { team, onchanged: async () => {} });
    const [own, other] = screen.getAllByTestId('member-role') as HTMLSelectElement[];
    expect(own).toBeDisabled();
    const was = other.value;
    await user.selectOptions(other, 'supervisor');
    const dialog = screen.getByRole('dialog');
    expect(backend.commands()).not.toContain('set_role');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(other.value).toBe(was);
    expect(backend.commands()).not.toContain('set_role');
    await user.selectOptions(other, 'supervisor');
    await user.click(within(screen.getByRole('dialog')).getByTestId('role-confirm'));
    await waitFor(() => expect(backend.argsOf('set_role')).toMatchObject({ role: 'supervisor' }));
  });
});
