import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('gives distinct, prefixed IDs that sort in creation order, across many refills of its random pool', () => {
    const ids = Array.from({ length: 5000 }, () => newId('ord'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^ord_[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it('draws fresh randomness for each millisecond: IDs of different milliseconds share no random part', async () => {
    const first = newId('cart');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = newId('cart');
    expect(second.slice(-16)).not.toBe(first.slice(-16));
    expect(second > first).toBe(true);
  });
});
