import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONFIG_MEMO_TTL_MS, ConfigMemo } from './config-memo.js';

describe('ConfigMemo', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-04T12:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  const counter = () => {
    let loads = 0;
    return { load: async () => ++loads, loads: () => loads };
  };

  it('serves a read from memory until the TTL passes, per key', async () => {
    const memo = new ConfigMemo<number>();
    const source = counter();
    expect(await memo.read('a', source.load)).toBe(1);
    expect(await memo.read('a', source.load)).toBe(1);
    expect(await memo.read('b', source.load)).toBe(2);
    vi.setSystemTime(Date.now() + CONFIG_MEMO_TTL_MS + 1);
    expect(await memo.read('a', source.load)).toBe(3);
    expect(source.loads()).toBe(3);
  });

  it('forgets everything on invalidate, and keeps nothing read during the quiet second after it', async () => {
    const memo = new ConfigMemo<number>();
    const source = counter();
    await memo.read('a', source.load);
    memo.invalidate();
    // Reads racing the writer's commit go to the database and are not kept.
    expect(await memo.read('a', source.load)).toBe(2);
    expect(await memo.read('a', source.load)).toBe(3);
    vi.setSystemTime(Date.now() + 1_001);
    expect(await memo.read('a', source.load)).toBe(4);
    expect(await memo.read('a', source.load)).toBe(4);
  });

  it('does not store a load that started before an invalidation, even after the quiet second', async () => {
    const memo = new ConfigMemo<string>();
    let finish: (value: string) => void = () => {};
    const slow = memo.read('a', () => new Promise<string>((resolve) => (finish = resolve)));
    memo.invalidate();
    vi.setSystemTime(Date.now() + 5_000);
    finish('before the write');
    expect(await slow).toBe('before the write');
    expect(await memo.read('a', async () => 'after the write')).toBe('after the write');
  });

  it('does not keep a failed load', async () => {
    const memo = new ConfigMemo<number>();
    await expect(memo.read('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await memo.read('a', async () => 7)).toBe(7);
  });
});
