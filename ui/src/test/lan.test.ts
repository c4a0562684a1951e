import { describe, it, expect, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { emit } from '@tauri-apps/api/event';
import LanPanel from '../screens/sync/LanPanel.svelte';
import RelayPanel from '../screens/sync/RelayPanel.svelte';
import AddRelayDialog from '../screens/sync/AddRelayDialog.svelte';
import type { LanStatusDto } from '$lib/bindings/LanStatusDto';
import type { RelayView } from '$lib/bindings/RelayView';
import { lanAddress, relayKey, relayUrl } from '$lib/addresses';
import { LAN_IDLE } from '$lib/api';
import { en, ru } from '$lib/i18n/catalogues';
import { asRole } from './fixtures';
import { mockBackend, refuse, renderWithUser } from './backend';

const stopped: LanStatusDto = LAN_IDLE;
const running: LanStatusDto = { ...stopped, running: true, listening: '0.0.0.0:49152', addresses: ['192.168.1.7:49152'] };
const KEY = '0123456789abcdef'.repeat(4);

describe('sync on this network', () => {
  it('starts, shows the address another laptop types, and stops', async () => {
    asRole('investigator');
    const backend = mockBackend({ lan_status: stopped, lan_start: running, lan_stop: stopped }, { shouldMockEvents: true });
    const { user } = renderWithUser(LanPanel, {});
    await user.click(await screen.findByTestId('lan-start'));
    expect(backend.argsOf('lan_start')).toEqual({ request: { discovery: true, connect: [], port: null } });
    expect(await screen.findByTestId('lan-address')).toHaveTextContent('192.168.1.7:49152');
    expect(screen.getByTestId('lan-discovery-note')).toHaveTextContent(en['lan.discovery_note']);
    expect(screen.getByTestId('lan-discovery')).toBeDisabled();
    await user.click(screen.getByTestId('lan-stop'));
    expect(await screen.findByTestId('lan-start')).toBeInTheDocument();
    expect(screen.getByTestId('lan-state')).toHaveTextContent(en['lan.stopped']);
  });

  it('follows the status the shell sends, and shows failures from their codes', async () => {
    asRole('investigator', 'ru');
    mockBackend({ lan_status: running }, { shouldMockEvents: true });
    const onsynced = vi.fn();
    renderWithUser(LanPanel, { onsynced });
    await screen.findByTestId('lan-stop');
    await emit('caravan://lan', {
      ...running,
      last_error_code: 'net.handshake',
      peers: [
        { device: 'd1', name: 'Aida', address: '192.168.1.9:5000', state: 'synced', last_sync_ms: Date.UTC(2026, 2, 5, 10, 30), applied: 12, quarantined: 0, last_error_code: null },
        { device: null, name: null, address: '192.168.1.11:5000', state: 'failed', last_sync_ms: null, applied: 0, quarantined: 0, last_error_code: 'net.io' },
      ],
    } satisfies LanStatusDto);
    const rows = await screen.findAllByTestId('lan-peer');
    expect(rows[0]).toHaveTextContent('Aida');
    expect(rows[0]).toHaveTextContent(ru['lan.state.synced']);
    expect(rows[0]).toHaveTextContent('12');
    expect(within(rows[1]).getByTestId('lan-peer-problem')).toHaveTextContent(ru['error.net.io']);
    expect(rows[1]).toHaveTextContent(ru['lan.unknown_device']);
    expect(screen.getByTestId('lan-last-error')).toHaveTextContent(ru['error.net.handshake']);
    expect(onsynced).toHaveBeenCalledTimes(1);
  });

  it('checks a typed address before dialling it', async () => {
    asRole('investigator');
    const backend = mockBackend({ lan_status: running, lan_connect: running }, { shouldMockEvents: true });
    const { user } = renderWithUser(LanPanel, {});
    const field = await screen.findByTestId('lan-connect-address');
    await waitFor(() => expect(field).toBeEnabled());
    await user.type(field, 'the other laptop');
    await user.click(screen.getByTestId('lan-connect'));
    expect(screen.getByTestId('lan-address-hint')).toHaveTextContent(en['lan.address_invalid']);
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(backend.commands()).not.toContain('lan_connect');
    await user.clear(field);
    await user.type(field, ' 192.168.1.20:49152{Enter}');
    await waitFor(() => expect(backend.argsOf('lan_connect')).toEqual({ address: '192.168.1.20:49152' }));
  });

  it('says so when discovery cannot work here', async () => {
    asRole('investigator');
    mockBackend({ lan_status: { ...running, discovery_failed: true } }, { shouldMockEvents: true });
    renderWithUser(LanPanel, {});
    expect(await screen.findByTestId('lan-discovery-failed')).toHaveTextContent(en['lan.discovery_failed']);
  });

  it('says when the system treats the network as public, above the discovery notes', async () => {
    asRole('investigator');
    mockBackend({ lan_status: { ...running, public_network: true, discovery_failed: true } }, { shouldMockEvents: true });
    renderWithUser(LanPanel, {});
    expect(await screen.findByTestId('lan-public-network')).toHaveTextContent(en['lan.public_network']);
    expect(screen.queryByTestId('lan-discovery-failed')).toBeNull();
    expect(screen.getByTestId('lan-connect-address')).toBeInTheDocument();
  });

  it('translates a refusal to start by its code', async () => {
    asRole('investigator');
    mockBackend({ lan_status: stopped, lan_start: refuse('app.locked', 'locked') }, { shouldMockEvents: true });
    const { user } = renderWithUser(LanPanel, {});
    await user.click(await screen.findByTestId('lan-start'));
    expect(await screen.findByTestId('error-message')).toHaveTextContent(en['error.app.locked']);
  });
});

describe('relays', () => {
  const relay: RelayView = {
    key: KEY,
    url: 'wss://relay.example.org',
    added_at: Date.UTC(2026, 2, 1),
    added_by_name: 'Saule',
    last_sync_ms: null,
    last_error_code: 'relay.quota',
  };
  const synced: RelayView = { ...relay, last_sync_ms: Date.UTC(2026, 2, 5, 10, 30), last_error_code: null };

  it('lists relays with their problem and syncs one now', async () => {
    asRole('investigator');
    let rounds = 0;
    const backend = mockBackend({
      relays: () => (rounds ? [synced] : [relay]),
      relay_sync_now: () => {
        rounds += 1;
        return { relay: synced, uploaded: 2, imported: 3, skipped: 0, applied: 17, quarantined: 0 };
      },
    });
    const onsynced = vi.fn();
    const { user } = renderWithUser(RelayPanel, { onsynced });
    const row = await screen.findByTestId('relay-row');
    expect(within(row).getByTestId('relay-problem')).toHaveTextContent(en['error.relay.quota']);
    expect(screen.queryByTestId('relay-add')).toBeNull();
    expect(screen.queryByTestId('relay-remove')).toBeNull();
    await user.click(within(row).getByTestId('relay-sync'));
    expect(backend.argsOf('relay_sync_now')).toEqual({ key: KEY });
    expect(await screen.findByTestId('relay-outcome')).toHaveTextContent('Sent 2, received 3 (17 changes applied)');
    await waitFor(() => expect(screen.getByTestId('relay-problem').textContent).toBe(''));
    expect(onsynced).toHaveBeenCalled();
  });

  it('follows the rounds the app makes in the background', async () => {
    asRole('investigator', 'ru');
    mockBackend({ relays: [relay] }, { shouldMockEvents: true });
    const onsynced = vi.fn();
    renderWithUser(RelayPanel, { onsynced });
    expect(await screen.findByTestId('relay-background')).toHaveTextContent(ru['relay.background']);
    const row = await screen.findByTestId('relay-row');
    expect(within(row).getByTestId('relay-problem')).toHaveTextContent(ru['error.relay.quota']);
    await emit('caravan://relays', [synced] satisfies RelayView[]);
    await waitFor(() => expect(screen.getByTestId('relay-problem').textContent).toBe(''));
    expect(onsynced).toHaveBeenCalledTimes(1);
    // A failure in the background shows on the row by its code.
    await emit('caravan://relays', [{ ...synced, last_error_code: 'net.timeout' }] satisfies RelayView[]);
    await waitFor(() => expect(screen.getByTestId('relay-problem')).toHaveTextContent(ru['error.net.timeout']));
    expect(onsynced).toHaveBeenCalledTimes(1);
  });

  it('shows a failed round by its code, and the relay as it is after it', async () => {
    asRole('investigator', 'ru');
    let failed = false;
    mockBackend({
      relays: () => [failed ? { ...relay, last_error_code: 'relay.not_on_roster' } : relay],
      relay_sync_now: () => {
        failed = true;
        return refuse('relay.not_on_roster')({});
      },
    });
    const { user } = renderWithUser(RelayPanel, {});
    await user.click(await screen.findByTestId('relay-sync'));
    expect(await screen.findByTestId('error-message')).toHaveTextContent(ru['error.relay.not_on_roster']);
    await waitFor(() => expect(screen.getByTestId('relay-problem')).toHaveTextContent(ru['error.relay.not_on_roster']));
  });

  it('asks before an admin removes a relay', async () => {
    asRole('admin');
    const backend = mockBackend({ relays: [relay], relay_remove: [] });
    const { user } = renderWithUser(RelayPanel, {});
    await user.click(await screen.findByTestId('relay-remove'));
    expect(await screen.findByTestId('relay-remove-dialog')).toHaveTextContent('wss://relay.example.org');
    await user.click(screen.getByTestId('relay-remove-confirm'));
    await waitFor(() => expect(screen.queryByTestId('relay-row')).toBeNull());
    expect(backend.argsOf('relay_remove')).toEqual({ key: KEY });
  });

  it('shows why relays cannot be listed, by code', async () => {
    asRole('admin', 'ru');
    mockBackend({ relays: refuse('core.no_team') });
    renderWithUser(RelayPanel, {});
    expect(await screen.findByTestId('error-message')).toHaveTextContent(ru['error.core.no_team']);
    expect(screen.getByTestId('relay-add')).toHaveTextContent(ru['relay.add']);
  });

  it('takes a relay only with a valid address and a key of 64 hex digits', async () => {
    asRole('admin');
    const backend = mockBackend({ relay_add: [relay] });
    const onadded = vi.fn();
    const { user } = renderWithUser(AddRelayDialog, { onadded, onclose: () => {} });
    await user.type(screen.getByTestId('relay-url'), 'relay example');
    await user.type(screen.getByTestId('relay-key'), 'abc123');
    await user.click(screen.getByTestId('relay-save'));
    expect(screen.getByTestId('relay-url-hint')).toHaveTextContent(en['relay.url_invalid']);
    expect(screen.getByTestId('relay-key-hint')).toHaveTextContent(en['relay.key_invalid'].replace('{n}', '6'));
    expect(screen.getByTestId('relay-key')).toHaveAttribute('aria-invalid', 'true');
    expect(backend.commands()).toEqual([]);
    await user.clear(screen.getByTestId('relay-url'));
    await user.type(screen.getByTestId('relay-url'), 'wss://relay.example.org');
    await user.clear(screen.getByTestId('relay-key'));
    // Read out in groups, in capitals: taken as the same key.
    await user.type(screen.getByTestId('relay-key'), KEY.toUpperCase().match(/.{16}/g)!.join(' '));
    await user.click(screen.getByTestId('relay-save'));
    await waitFor(() => expect(onadded).toHaveBeenCalledWith([relay]));
    expect(backend.argsOf('relay_add')).toEqual({ url: 'wss://relay.example.org', key: KEY });
  });

  it('shows a refusal to add from its code', async () => {
    asRole('admin');
    mockBackend({ relay_add: refuse('net.timeout', 'failure') });
    const { user } = renderWithUser(AddRelayDialog, { onadded: () => {}, onclose: () => {} });
    await user.type(screen.getByTestId('relay-url'), 'wss://relay.example.org');
    await user.type(screen.getByTestId('relay-key'), KEY);
    await user.click(screen.getByTestId('relay-save'));
    expect(await screen.findByTestId('error-message')).toHaveTextContent(en['error.net.timeout']);
  });
});

describe('address checks', () => {
  it('takes ip:port and a relay key as the shell does', () => {
    expect(lanAddress(' 10.0.0.2:4000 ')).toBe('10.0.0.2:4000');
    expect(lanAddress('[fe80::1]:4000')).toBe('[fe80::1]:4000');
    for (const bad of ['10.0.0.2', '300.0.0.1:4', '10.0.0.2:0', '10.0.0.2:70000', 'laptop:4000', '']) {
      expect(lanAddress(bad)).toBeNull();
    }
    expect(relayKey(KEY.slice(1))).toBeNull();
    expect(relayKey(`${KEY.slice(1)}g`)).toBeNull();
    expect(relayUrl('https://relay.example.org')).toBeNull();
    expect(relayUrl('relay.example.org')).toBeNull();
    expect(relayUrl('relay.example.org:443')).toBe('relay.example.org:443');
    expect(relayUrl('wss://user@relay.example.org')).toBeNull();
    expect(relayUrl('wss://relay.example.org:443/caravan')).toBe('wss://relay.example.org:443/caravan');
  });
});
