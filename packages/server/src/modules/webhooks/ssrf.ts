import { isIPv4, isIPv6 } from 'node:net';

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** 16 bytes of an IPv6 address, including `::` and a trailing dotted IPv4 part. */
export function ipv6Bytes(address: string): number[] {
  let text = address.split('%')[0];
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail.push(...ipv4Bytes(dotted[1]));
    text = `${text.slice(0, -dotted[1].length)}0:0`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, null];
  const groups = (part: string) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const left = groups(head);
  const right = rest === null ? [] : groups(rest);
  const words = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  const bytes = words.flatMap((word) => [word >> 8, word & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

function classifyIPv4([a, b, c, d]: number[]): AddressClass {
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  // Carrier-grade NAT space is private in practice (and hosts cloud metadata, e.g. 100.100.100.200).
  if (a === 100 && b >= 64 && b <= 127) return 'private';
  if (a === 169 && b === 254) return c === 169 && d === 254 ? 'metadata' : 'link_local';
  if (a >= 224 && a <= 239) return 'multicast';
  if (
    a >= 240 ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  ) {
    return 'reserved';
  }
  return 'public';
}

function classifyIPv6(bytes: number[]): AddressClass {
  const zeroPrefix = (n: number) => bytes.slice(0, n).every((byte) => byte === 0);
  const v4 = bytes.slice(12);
  if (zeroPrefix(16)) return 'unspecified';
  if (zeroPrefix(15) && bytes[15] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible (::a.b.c.d) forms.
  if (zeroPrefix(10) && bytes[10] === 0xff && bytes[11] === 0xff) return classifyIPv4(v4);
  if (zeroPrefix(12)) return classifyIPv4(v4);
  // NAT64 (64:ff9b::/96) reaches the embedded IPv4 address.
  if (bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b) {
    if (bytes.slice(4, 12).every((byte) => byte === 0)) return classifyIPv4(v4);
    return 'private';
  }
  // 6to4 (2002::/16) embeds an IPv4 address in bytes 2–5.
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return classifyIPv4(bytes.slice(2, 6));
  if ((bytes[0] & 0xfe) === 0xfc) return 'private';
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80) return 'link_local';
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0xc0) return 'private';
  if (bytes[0] === 0xff) return 'multicast';
  // Teredo (2001::/32) hides an IPv4 address; documentation (2001:db8::/32); discard (100::/64).
  if (
    bytes[0] === 0x20 &&
    bytes[1] === 0x01 &&
    ((bytes[2] === 0 && bytes[3] === 0) || (bytes[2] === 0x0d && bytes[3] === 0xb8))
  ) {
    return 'reserved';
  }
  if (bytes[0] === 0x01 && bytes[1] === 0 && bytes.slice(2, 8).every((byte) => byte === 0)) {
    return 'reserved';
  }
  return 'public';
}

/** What kind of address this is, for deciding whether Merx may connect to it. */
export function classifyAddress(address: string): AddressClass {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(bare)) return classifyIPv4(ipv4Bytes(bare));
  if (isIPv6(bare)) return classifyIPv6(ipv6Bytes(bare));
  throw new Error(`Not an IP address: ${address}`);
}

/** Public addresses always; loopback only when the operator allows it (local development, tests). */
export function mayConnect(address: string, allowLoopback: boolean): boolean {
  const kind = classifyAddress(address);
  return kind === 'public' || (allowLoopback && kind === 'loopback');
}
