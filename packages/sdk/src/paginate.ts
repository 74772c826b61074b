/** One page of a Merx list endpoint. */
export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/**
 * Iterates every item of a cursor-paginated list, fetching the next page only when the
 * current one is used up:
 *
 * ```ts
 * for await (const product of paginate((cursor) =>
 *   store.get('/store/v1/products', { params: { query: { limit: 100, cursor } } }),
 * )) { … }
 * ```
 */
export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.data;
    cursor = page.has_more && page.next_cursor ? page.next_cursor : undefined;
  } while (cursor !== undefined);
}
