// Native file dialogs, with a typed path taking precedence (tests and
// machines without a dialog portal type the path instead).
import { open, save } from '@tauri-apps/plugin-dialog';
import { ApiError } from '$lib/api';

export type FileFilter = { name: string; extensions: string[] };

export async function pickPath(
  mode: 'open' | 'save',
  typed: string,
  opts: { filters?: FileFilter[]; defaultPath?: string } = {},
): Promise<string | null> {
  const t = typed.trim();
  if (t) return t;
  try {
    const r =
      mode === 'open'
        ? await open({ multiple: false, directory: false, filters: opts.filters })
        : await save({ filters: opts.filters, defaultPath: opts.defaultPath });
    return typeof r === 'string' ? r : null;
  } catch {
    throw new ApiError({ code: 'app.no_dialog', kind: 'failure', message: 'file dialog unavailable' });
  }
}

export const BUNDLE_FILTER: FileFilter[] = [{ name: 'Caravan bundle', extensions: ['caravan'] }];
export const JOIN_FILTER: FileFilter[] = [{ name: 'Caravan join file', extensions: ['caravan-join', 'txt'] }];
