// What the sync centre checks before it sends an address or a relay's key:
// the same rules the shell applies (it checks again), so a typing mistake
// is shown at the field rather than as a refusal.

/** A LAN address as `ip:port` (IPv6 in brackets): trimmed, or null. */
export function lanAddress(text: string): string | null {
  const a = text.trim();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/.exec(a);
  if (v4) {
    const octets = v4.slice(1, 5).map(Number);
    return octets.every((o) => o <= 255) && port(v4[5]) ? a : null;
  }
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(a);
  return v6 && v6[1].includes(':') && port(v6[2]) ? a : null;
}

function port(text: string): boolean {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 && n <= 65535;
}

/** A relay's key as the admin reads it out: 64 hex digits, spaces between
 *  groups allowed; lower case without spaces, or null. */
export function relayKey(text: string): string | null {
  const key = text.replace(/\s+/g, '');
  return /^[0-9a-fA-F]{64}$/.test(key) ? key.toLowerCase() : null;
}

/** A relay's address: `wss://…` (or `ws://…` on a private network), or
 *  `host:port` (taken as wss:// by the shell); trimmed, or null. */
export function relayUrl(text: string): string | null {
  const url = text.trim();
  if (/^wss?:\/\/[^\s/@]+(\/\S*)?$/i.test(url)) return url;
  const hostPort = /^[A-Za-z0-9.\-[\]:]+:(\d{1,5})$/.exec(url);
  return hostPort && port(hostPort[1]) ? url : null;
}
