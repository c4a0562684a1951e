// Files are chosen with the shell's own file dialog (`pick_file`): a path
// it returns is the only kind the shell uses without its rules for typed
// paths. A typed path takes precedence (machines without a dialog portal,
// and tests); the shell admits it only as a new Caravan file to write or
// an existing one to read (`app.path_refused` otherwise).
import * as api from '$lib/api';

export type FileKind = 'bundle' | 'join' | 'attachment' | 'geojson' | 'statistics' | 'dossier';

export async function pickPath(
  mode: 'open' | 'save' | 'folder',
  typed: string,
  opts: { kind: FileKind; defaultPath?: string },
): Promise<string | null> {
  const t = typed.trim();
  if (t) return t;
  return api.pickFile(mode, opts.kind, opts.defaultPath ?? null);
}
