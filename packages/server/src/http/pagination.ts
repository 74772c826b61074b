import { ApiError } from './problem.js';

export interface PageResult<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): unknown[] | null {
  if (!cursor) return null;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity) return values;
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, 'invalid_cursor', 'The cursor is malformed or belongs to another sort order', {
    errors: [{ field: '/querystring/cursor', message: 'is not a cursor this list issued' }],
  });
}

/**
 * Lists fetch `limit + 1` rows so they know whether another page exists without a COUNT.
 */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => unknown[]): PageResult<T> {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  return {
    data,
    has_more: hasMore,
    next_cursor: hasMore ? encodeCursor(cursorOf(data[data.length - 1])) : null,
  };
}
