/**
 * Intent parsing for a voice or chat channel: plain rules over the words, no external service.
 * Pure (text in, intent out) so every phrasing is unit-tested.
 */

export type Intent =
  | { kind: 'search'; query: string; maxPrice: number | null; minPrice: number | null }
  | { kind: 'add'; item: number | null; size: string | null; quantity: number }
  | { kind: 'describe'; item: number }
  | { kind: 'remove'; item: number }
  | { kind: 'cart' }
  | { kind: 'checkout' }
  | { kind: 'email'; email: string }
  | { kind: 'sign_in'; email: string; password: string }
  | { kind: 'sign_out' }
  | { kind: 'help' }
  | { kind: 'unknown'; text: string };

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  last: -1,
  '1st': 1,
  '2nd': 2,
  '3rd': 3,
  '4th': 4,
  '5th': 5,
};

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;

/** "the second one", "number 2", "item 3", "the last one" → 2, 2, 3, -1 (null: none named). */
export function itemReference(text: string): number | null {
  const ordinal =
    /\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|1st|2nd|3rd|4th|5th)\b/.exec(
      text,
    );
  if (ordinal) return ORDINALS[ordinal[1]];
  const numbered = /(?:\bnumber|\bno\.?|\bitem|\bresult|#)\s*(\d{1,2})\b/.exec(text);
  return numbered ? Number(numbered[1]) : null;
}

function sizeOf(text: string): string | null {
  const found = /\bsize\s+([a-z0-9.]+(?:\s*(?:½|1\/2))?)/i.exec(text);
  return found ? found[1].toUpperCase() : null;
}

function quantityOf(text: string): number {
  const found =
    /\b(?:add|put|get|buy)\s+(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\b(?!\s*(?:st|nd|rd|th)\b)/.exec(
      text,
    );
  if (!found) return 1;
  return NUMBER_WORDS[found[1]] ?? Number(found[1]);
}

/** "100", "99.90", "100 euros", "€100", "a hundred" → the number in major units. */
function amountOf(text: string): number | null {
  const found = /(?:[€$£]\s*)?(\d+(?:[.,]\d{1,2})?)/.exec(text);
  if (found) return Number(found[1].replace(',', '.'));
  if (/\ba hundred\b/.test(text)) return 100;
  return null;
}

function searchIntent(text: string): Intent | null {
  const found =
    /^(?:please\s+)?(?:find|search(?:\s+for)?|look\s+for|show\s+me|i(?:'m| am)\s+looking\s+for|i\s+(?:want|need))\s+(.+)$/.exec(
      text,
    );
  if (!found) return null;
  let rest = found[1];
  let maxPrice: number | null = null;
  let minPrice: number | null = null;
  const under = /\s+(?:under|below|less than|cheaper than|up to|for less than|at most)\s+(.+)$/.exec(rest);
  if (under) {
    maxPrice = amountOf(under[1]);
    rest = rest.slice(0, under.index);
  }
  const over = /\s+(?:over|above|more than|at least)\s+(.+)$/.exec(rest);
  if (over) {
    minPrice = amountOf(over[1]);
    rest = rest.slice(0, over.index);
  }
  const query = rest
    .replace(/^(?:some|any|a|an|the)\s+/, '')
    .replace(/\s+(?:please|for me)$/, '')
    .trim();
  return query ? { kind: 'search', query, maxPrice, minPrice } : null;
}

export function parseUtterance(utterance: string): Intent {
  const raw = utterance.trim();
  const text = raw
    .toLowerCase()
    .replace(/[.?!]+$/, '')
    .replace(/\s+/g, ' ');

  const signIn = /^(?:sign|log)\s*in\s+(?:as\s+)?(\S+@\S+)\s+(\S.*)$/i.exec(raw);
  if (signIn) return { kind: 'sign_in', email: signIn[1], password: signIn[2].trim() };
  if (/^(?:sign|log)\s*out\b/.test(text)) return { kind: 'sign_out' };
  if (/^(?:help|what can (?:i|you) (?:say|do))\b/.test(text)) return { kind: 'help' };
  if (/\b(?:check\s*out|checkout|pay now|place (?:the|my) order|buy (?:it|them|everything) now)\b/.test(text))
    return { kind: 'checkout' };
  if (/\b(?:cart|basket|bag)\b/.test(text) && !/^(?:add|put|remove|delete|take)\b/.test(text))
    return { kind: 'cart' };

  const email = /^(?:my e-?mail(?: address)? is|e-?mail(?: me at)?|use)\s+(\S+)$/.exec(text);
  if (email && EMAIL.test(email[1])) return { kind: 'email', email: email[1] };

  if (/^(?:remove|delete|take out)\b/.test(text)) {
    const item = itemReference(text);
    return item === null ? { kind: 'unknown', text: raw } : { kind: 'remove', item };
  }
  if (/^(?:add|put|i'll take|i will take|take|get me|buy)\b/.test(text)) {
    return { kind: 'add', item: itemReference(text), size: sizeOf(text), quantity: quantityOf(text) };
  }
  if (/^(?:tell me (?:more )?about|describe|what about|more about)\b/.test(text)) {
    const item = itemReference(text);
    if (item !== null) return { kind: 'describe', item };
  }
  return searchIntent(text) ?? { kind: 'unknown', text: raw };
}
