import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemReference, parseUtterance } from '../src/intents.js';

describe('parseUtterance', () => {
  it.each([
    [
      'find running shoes under 100',
      { kind: 'search', query: 'running shoes', maxPrice: 100, minPrice: null },
    ],
    [
      'Find running shoes under 100.',
      { kind: 'search', query: 'running shoes', maxPrice: 100, minPrice: null },
    ],
    [
      'show me some t-shirts below €29.90',
      { kind: 'search', query: 't-shirts', maxPrice: 29.9, minPrice: null },
    ],
    ['search for tents over 200', { kind: 'search', query: 'tents', maxPrice: null, minPrice: 200 }],
    [
      "I'm looking for a rain jacket",
      { kind: 'search', query: 'rain jacket', maxPrice: null, minPrice: null },
    ],
    [
      'look for trail shoes under a hundred',
      { kind: 'search', query: 'trail shoes', maxPrice: 100, minPrice: null },
    ],
  ])('searches: %s', (utterance, intent) => {
    expect(parseUtterance(utterance)).toEqual(intent);
  });

  it.each([
    ['add the second one in size 42', { kind: 'add', item: 2, size: '42', quantity: 1 }],
    ['Add two of the first one', { kind: 'add', item: 1, size: null, quantity: 2 }],
    ['put number 3 in size m in my cart', { kind: 'add', item: 3, size: 'M', quantity: 1 }],
    ["I'll take the last one", { kind: 'add', item: -1, size: null, quantity: 1 }],
    ['add it', { kind: 'add', item: null, size: null, quantity: 1 }],
    ['add 3 of item 2 size 44', { kind: 'add', item: 2, size: '44', quantity: 3 }],
    ['add the 2nd one', { kind: 'add', item: 2, size: null, quantity: 1 }],
  ])('adds: %s', (utterance, intent) => {
    expect(parseUtterance(utterance)).toEqual(intent);
  });

  it('reads the cart, checks out, signs in and out, and takes an email', () => {
    expect(parseUtterance("what's in my cart?")).toEqual({ kind: 'cart' });
    expect(parseUtterance('show my basket')).toEqual({ kind: 'cart' });
    expect(parseUtterance('check out')).toEqual({ kind: 'checkout' });
    expect(parseUtterance('Checkout please')).toEqual({ kind: 'checkout' });
    expect(parseUtterance('sign in as Ada@Example.com correct horse battery')).toEqual({
      kind: 'sign_in',
      email: 'Ada@Example.com',
      password: 'correct horse battery',
    });
    expect(parseUtterance('log in ada@example.com pw123456')).toMatchObject({
      kind: 'sign_in',
      password: 'pw123456',
    });
    expect(parseUtterance('sign out')).toEqual({ kind: 'sign_out' });
    expect(parseUtterance('my email is ada@example.com')).toEqual({
      kind: 'email',
      email: 'ada@example.com',
    });
    expect(parseUtterance('remove the first one')).toEqual({ kind: 'remove', item: 1 });
    expect(parseUtterance('tell me about the third one')).toEqual({ kind: 'describe', item: 3 });
    expect(parseUtterance('help')).toEqual({ kind: 'help' });
  });

  it('says it did not understand rather than guessing', () => {
    expect(parseUtterance('sing me a song')).toEqual({ kind: 'unknown', text: 'sing me a song' });
    expect(parseUtterance('remove something')).toMatchObject({ kind: 'unknown' });
    expect(parseUtterance('find')).toMatchObject({ kind: 'unknown' });
  });

  it('never throws, whatever is said', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(typeof parseUtterance(text).kind).toBe('string');
      }),
    );
  });

  it('reads ordinals and numbered items', () => {
    expect(itemReference('the fifth one')).toBe(5);
    expect(itemReference('item #4')).toBe(4);
    expect(itemReference('that one')).toBeNull();
  });
});
