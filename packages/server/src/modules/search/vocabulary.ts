import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { allowedTypos, type VocabularyHit } from './text.js';

/** Nearest words fetched per unknown token; the edit-distance check in text.ts picks among them. */
const NEAREST = 12;

/**
 * One round trip for every token: does an indexed word start with it (a C-collation range on
 * the primary key), and, only for tokens that could be typos, the nearest indexed words by
 * trigram distance (k-nearest-neighbour on the GiST index).
 */
export async function lookUpTokens(db: Executor, tokens: readonly string[]): Promise<VocabularyHit[]> {
  if (tokens.length === 0) return [];
  const fuzzy = tokens.map((token) => allowedTypos(token) > 0);
  const result = await sql<{ token: string; has_prefix: boolean; nearest: string[] | null }>`
    SELECT t.token, hit.has_prefix,
      CASE WHEN NOT hit.has_prefix AND t.fuzzy THEN ARRAY(
        SELECT w.word FROM search_words w WHERE w.word !~ '[0-9]' -- the partial GiST index's predicate
        ORDER BY w.word <-> t.token LIMIT ${NEAREST}) END AS nearest
    FROM unnest(${tokens}::text[], ${fuzzy}::boolean[]) WITH ORDINALITY AS t(token, fuzzy, n)
    CROSS JOIN LATERAL (SELECT EXISTS (
      SELECT 1 FROM search_words w WHERE w.word >= t.token COLLATE "C" AND w.word < (t.token || chr(1114111)) COLLATE "C"
    ) AS has_prefix) hit
    ORDER BY t.n`.execute(db);
  return result.rows.map((row) => ({
    token: row.token,
    hasPrefix: row.has_prefix,
    nearest: row.nearest ?? [],
  }));
}
