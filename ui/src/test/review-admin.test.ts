import { describe, it, expect } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import ReviewTab from '../screens/case/ReviewTab.svelte';
import ApproveJoin from '../screens/admin/ApproveJoin.svelte';
import Members from '../screens/admin/Members.svelte';
import { asRole, caseDto, device, member, team as teamDto } from './fixtures';

describe('prosecutor review', () => {
  it('signs off a stage only once a stage is chosen', async () => {
    asRole('prosecutor');
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return 'rv1';
    });
    const user = userEvent.setup();
    render(ReviewTab, { props: { c: caseDto(), reload: async () => {} } });
    expect(screen.queryByRole('button', { name: 'Record decision' })).toBeNull();
    await user.selectOptions(screen.getByTestId('review-kind'), 'sign_off');
    await user.type(screen.getByTestId('review-text'), 'Identification complete');
    expect(screen.getByTestId('add-review')).toBeDisabled();
    await user.selectOptions(screen.getByTestId('review-stage'), 'identification');
    await user.click(screen.getByTestId('add-review'));
    expect(calls.find(([c]) => c === 'add_review')?.[1]).toEqual({
      case_id: 'c1',
      kind: 'sign_off',
      stage: 'identification',
      text: 'Identification complete',
    });
  });

  it('offers investigators no review form', () => {
    asRole('investigator');
    mockIPC(() => null);
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
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'inspect_join_request') return { name: 'Timur', label: 'Field laptop 5', device: 'dev-t', fingerprint: 'H4JX-9QLE' };
      if (cmd === 'approve_join') return team;
      return null;
    });
    const user = userEvent.setup();
    render(ApproveJoin, { props: { onapproved: async () => {} } });
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
    expect(calls.find(([c]) => c === 'approve_join')?.[1]).toEqual({
      request: 'CARAVAN-JOIN v1 abc',
      role: 'prosecutor',
      out_path: '/media/usb/timur.caravan-join',
    });
    // The admin is told to read out the team fingerprint with the package.
    expect(await screen.findByRole('status')).toHaveTextContent('11111 22222 33333 44444 55555 00666');
  });

  it('asks for confirmation before revoking a device', async () => {
    asRole('admin');
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === 'revoke' ? ['dev-aibek'] : null;
    });
    const user = userEvent.setup();
    render(Members, { props: { team, onchanged: async () => {} } });
    const buttons = screen.getAllByTestId('revoke-device');
    expect(buttons).toHaveLength(1); // not this device
    await user.click(buttons[0]);
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText('CCCC-DDDD')).toBeInTheDocument();
    expect(calls.some(([c]) => c === 'revoke')).toBe(false);
    await user.click(within(dialog).getByTestId('revoke-confirm'));
    await waitFor(() => expect(calls.find(([c]) => c === 'revoke')?.[1]).toEqual({ device_or_member: 'dev-aibek', reason: null }));
  });
});
