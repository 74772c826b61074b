import { createHash, randomBytes } from 'node:crypto';

// Crockford base32: IDs sort by creation time as plain strings (like ULID), so
// `ORDER BY id` is a stable, index-friendly cursor order.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export const ID_PREFIXES = {
  product: 'prod',
  variant: 'var',
  option: 'opt',
  category: 'pcat',
  collection: 'pcol',
  price: 'price',
  channel: 'chan',
  apiKey: 'key',
  cart: 'cart',
  cartLine: 'cali',
  order: 'ord',
  customer: 'cus',
  event: 'evt',
} as const;

let lastTime = 0;
let lastRandom = 0n;

function encode(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

/** A prefixed, time-sortable ID: `prod_01hx…`. Monotonic within one process. */
export function newId(prefix: string): string {
  const now = Date.now();
  let random = BigInt(`0x${randomBytes(10).toString('hex')}`);
  if (now <= lastTime) {
    random = lastRandom + 1n;
  } else {
    lastTime = now;
  }
  lastRandom = random;
  return `${prefix}_${encode(BigInt(lastTime), 10)}${encode(random, 16)}`;
}

export function newSecret(prefix: string, bytes = 24): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

/** How every bearer secret (API key, session, reset or order token) is stored: only its SHA-256. */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
