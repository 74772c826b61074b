import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { parseQuery } from './service.js';
import { toTsQuery } from './text.js';

export interface Suggestion {
  type: 'category' | 'product';
  id: string;
  handle: string;
  text: string;
}

/** Categories lead the list (at most this many), products fill it. */
const MAX_CATEGORIES = 3;
/** Very short prefixes match most of the catalog: rank only this many candidates. */
const CANDIDATES = 500;

/**
 * Autocomplete: product titles (prefix and typo-tolerant, matched on title words only: the
 * weight-A words of `keywords`, small and stored inline) and
 * category names of categories holding something this channel sells, best first.
 */
export async function suggest(
  db: Executor,
  input: { channelId: string; q: string; limit: number },
): Promise<Suggestion[]> {
  const { text, matches } = await parseQuery(db, input.q);
  const titleQuery = toTsQuery(matches, 'A');
  if (!text || !titleQuery) return [];
  const { plain, tsquery } = text;
  const result = await sql<Suggestion & { score: number }>`
    (SELECT 'category' AS type, l.id, l.handle, l.name AS text, similarity(lower(l.name), ${plain}) AS score
      FROM search_labels l
      WHERE l.kind = 'category' AND l.words @@ ${tsquery}::tsquery
        AND EXISTS (SELECT 1 FROM search_documents d
          WHERE d.category_ids @> ARRAY[l.id] AND d.channel_ids @> ARRAY[${input.channelId}]::text[])
      ORDER BY score DESC, l.id LIMIT ${Math.min(MAX_CATEGORIES, input.limit)})
    UNION ALL
    (SELECT 'product', c.product_id, c.handle, c.title, similarity(c.title_lower, ${plain}) AS score
      FROM (SELECT d.product_id, d.handle, d.title, d.title_lower FROM search_documents d
        WHERE d.keywords @@ ${titleQuery}::tsquery AND ${input.channelId} = ANY (d.channel_ids)
        LIMIT ${CANDIDATES}) c
      ORDER BY score DESC, c.title, c.product_id LIMIT ${input.limit})`.execute(db);
  const categories = result.rows.filter((row) => row.type === 'category');
  const products = result.rows.filter((row) => row.type === 'product');
  return [...categories, ...products]
    .slice(0, input.limit)
    .map(({ type, id, handle, text }) => ({ type, id, handle, text }));
}
