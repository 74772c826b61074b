/**
 * Query text → tsquery, with typo tolerance. Pure: the vocabulary lookup (vocabulary.ts)
 * supplies, per token, whether some indexed word starts with it and the nearest indexed words
 * by trigram distance; this file decides what each token may match.
 *
 * Tokens are normalised like the index (migration 0800 `search_normalize`): lower case, letters
 * and digits only, a punctuated word joined ("T-Shirt" → "tshirt"), so "t-shirt", "tshirt"
 * and "T Shirt" all meet the T-shirt's words.
 */

/** At most this many tokens of a query count; the rest are ignored. */
export const MAX_TOKENS = 8;

export function queryTokens(q: string): string[] {
  const tokens = q
    .toLowerCase()
    .split(/[\s,;/|+]+/u)
    .map((chunk) => chunk.replace(/[^\p{L}\p{N}]+/gu, ''))
    .filter((token) => token.length > 0);
  return [...new Set(tokens)].slice(0, MAX_TOKENS);
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2][j - 2] + 1);
      d[i][j] = best;
    }
  }
  return d[a.length][b.length];
}

/**
 * Typos a token may carry: none up to 3 characters (too many short words lie one edit
 * apart), one up to 5, two beyond. Tokens with digits are codes (SKUs, sizes): exact only.
 */
export function allowedTypos(token: string): number {
  if (/\p{N}/u.test(token) || token.length <= 3) return 0;
  return token.length <= 5 ? 1 : 2;
}

/**
 * The candidates nearest to the token within its typo budget (all those at the smallest
 * distance found, at most `max`): "tshrit" → "tshirt", not also "tshirts".
 */
export function pickCorrections(token: string, candidates: readonly string[], max = 3): string[] {
  const budget = allowedTypos(token);
  if (budget === 0) return [];
  const scored = candidates
    .filter((word) => word !== token)
    .map((word) => ({ word, distance: editDistance(token, word) }))
    .filter(({ distance }) => distance <= budget);
  const nearest = Math.min(...scored.map(({ distance }) => distance));
  return scored
    .filter(({ distance }) => distance === nearest)
    .map(({ word }) => word)
    .sort()
    .slice(0, max);
}

export interface VocabularyHit {
  token: string;
  /** Some indexed word starts with the token (the token itself included). */
  hasPrefix: boolean;
  /** Nearest indexed words by trigram distance (only looked up when hasPrefix is false). */
  nearest: string[];
}

export interface TokenMatch {
  token: string;
  /** Match indexed words starting with the token. */
  prefix: boolean;
  /** Corrected spellings matched exactly. */
  corrections: string[];
}

/** A token matches as a prefix when the vocabulary has it, else through its corrections. */
export function matchTokens(hits: readonly VocabularyHit[]): TokenMatch[] {
  return hits.map((hit) => ({
    token: hit.token,
    prefix: hit.hasPrefix,
    corrections: hit.hasPrefix ? [] : pickCorrections(hit.token, hit.nearest),
  }));
}

const lexeme = (word: string) => `'${word.replace(/'/g, "''")}'`;

/**
 * Every token must match (AND); a token matches its prefix or any correction (OR).
 * `weights` restricts matches to lexemes of those weights ('A' = title and codes).
 * Null when some token matches nothing: the query can have no results.
 */
export function toTsQuery(matches: readonly TokenMatch[], weights = ''): string | null {
  if (matches.length === 0) return null;
  const parts: string[] = [];
  for (const match of matches) {
    const alternatives = [
      ...(match.prefix ? [`${lexeme(match.token)}:*${weights}`] : []),
      ...match.corrections.map((word) => `${lexeme(word)}${weights ? `:${weights}` : ''}`),
    ];
    if (alternatives.length === 0) return null;
    parts.push(alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(' | ')})`);
  }
  return parts.join(' & ');
}
