export function isMainScreenKey(key: string): boolean;
export function coverage(
  english: Record<string, string>,
  catalogue: Record<string, string>,
): { total: number; translated: number; main: number; mainTranslated: number; missing: string[] };
export function percent(part: number, whole: number): number;
