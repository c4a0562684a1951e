import type { ErrorCode } from '$lib/bindings/ErrorCode';
import { describe, it, expect, vi } from 'vitest';
import { mockIPC } from '@tauri-apps/api/mocks';
import * as api from '$lib/api';
import { ApiError, toApiError } from '$lib/api';
import { errorText, setLang } from '$lib/i18n/index.svelte';
import { en, ru } from '$lib/i18n/catalogues';
import { err, sendOnChannel } from '../test/fixtures';

describe('api error mapping', () => {
  it('turns an ErrorDto rejection into an ApiError with its code and kind', async () => {
    mockIPC(() => {
      throw err('vault.wrong_passphrase', 'wrong_secret');
    });
    const e = await api.unlock('nope').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('vault.wrong_passphrase');
    expect((e as ApiError).kind).toBe('wrong_secret');
  });

  it('maps anything else to app.unexpected', () => {
    expect(toApiError(new Error('boom')).code).toBe('app.unexpected');
    expect(toApiError('text').code).toBe('app.unexpected');
    expect(toApiError(null).code).toBe('app.unexpected');
  });

  it('translates by code, never by message text', () => {
    setLang('en');
    expect(errorText(err('stage.gate_not_ready'))).toBe(en['error.stage.gate_not_ready']);
    setLang('ru');
    expect(errorText(err('stage.gate_not_ready'))).toBe(ru['error.stage.gate_not_ready']);
    const other = { code: 'stage.gate_not_ready', kind: 'rejected', message: 'Wrong passphrase' };
    expect(errorText(other)).toBe(ru['error.stage.gate_not_ready']);
    setLang('en');
  });

  it('falls back to a generic message that shows an unknown code', () => {
    setLang('en');
    // A code this build does not know (the type says it cannot happen).
    const text = errorText(err('vault.brand_new_code' as ErrorCode));
    expect(text).toContain('vault.brand_new_code');
    expect(text).not.toContain('English message');
  });

  it('sends snake_case argument names', async () => {
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });
    await api.setItem('c1', 't1', 'i1', { status: 'done', reason: null, note: null, evidence_ids: [], interview_ids: [] });
    await api.recover('CODE', 'new pass');
    expect(calls[0]).toEqual([
      'set_item',
      { case_id: 'c1', checklist: 't1', item_id: 'i1', update: { status: 'done', reason: null, note: null, evidence_ids: [], interview_ids: [] } },
    ]);
    expect(calls[1]).toEqual(['recover', { recovery_code: 'CODE', new_passphrase: 'new pass' }]);
  });

  it('reports a locked vault to the registered handler', async () => {
    const onLocked = vi.fn();
    api.onLockedError(onLocked);
    mockIPC(() => {
      throw err('app.locked', 'locked');
    });
    await expect(api.showCase('c1')).rejects.toBeInstanceOf(ApiError);
    expect(onLocked).toHaveBeenCalledTimes(1);
    api.onLockedError(null);
  });

  it('streams progress over a channel', async () => {
    const seen: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== 'import_bundle') return null;
      sendOnChannel((args as { on_progress: unknown }).on_progress, 0, { step: 'verifying', done: 1, total: 2 });
      return { sender: 'd', sender_name: 'B', applied: 1, already_had: 0, held: 0, quarantined: [], not_permitted: 0, cases_changed: 1 };
    });
    const r = await api.importBundle('/tmp/x.caravan', (p) => seen.push(p.step));
    expect(r.applied).toBe(1);
    expect(seen).toEqual(['verifying']);
  });
});
