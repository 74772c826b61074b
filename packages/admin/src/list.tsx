import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Loading } from './ui.js';
import { type Async, useAsync } from './use-async.js';

interface CursorPage<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

export interface CursorList<T> {
  page: Async<CursorPage<T>>;
  rows: T[];
  /** Applies a filter change and restarts from the first page, so old rows never mix with new ones. */
  filter: (set: () => void) => void;
  more: () => void;
}

/** An admin list paged by the API's opaque cursor: "Load more" appends, a filter change replaces. */
export function useCursorList<T>(
  load: (cursor: string | undefined) => Promise<CursorPage<T>>,
  filters: unknown[],
): CursorList<T> {
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [rows, setRows] = useState<T[]>([]);
  const page = useAsync(async () => {
    const result = await load(cursor);
    setRows((previous) => (cursor ? [...previous, ...result.data] : result.data));
    return result;
  }, [...filters, cursor]);
  const filter = (set: () => void) => {
    setCursor(undefined);
    set();
  };
  const more = () => setCursor(page.data?.next_cursor ?? undefined);
  return { page, rows, filter, more };
}

/** The filter bar above a list; typing filters at once, so submitting does nothing. */
export function Filters({ children }: { children: ComponentChildren }) {
  return (
    <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      {children}
    </form>
  );
}

/** What follows a list's table: the loading note, the optional empty note, and "Load more". */
export function Pager<T>(props: { list: CursorList<T>; what: string; empty?: string }) {
  const { page, rows, more } = props.list;
  return (
    <>
      {page.status === 'loading' && <Loading what={props.what} />}
      {props.empty && page.status === 'done' && rows.length === 0 && <p class="muted">{props.empty}</p>}
      {page.data?.has_more && (
        <button type="button" class="secondary" onClick={more}>
          Load more
        </button>
      )}
    </>
  );
}
