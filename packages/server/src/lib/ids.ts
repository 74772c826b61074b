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

/**
 * IDs are not secrets, so their randomness comes from a pool refilled 4 KiB at a time: one call
 * into OpenSSL per ~400 IDs instead of one per ID (that call was ~4 % of a cart request's CPU).
 * Secrets (`newSecret`) still draw their bytes directly.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function pooledRandom(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  poolOffset += size;
  return pool.subarray(poolOffset - size, poolOffset);
}

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
  let random = BigInt(`0x${pooledRandom(10).toString('hex')}`);
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
