/** PostgreSQL error fields Merx branches on (node-postgres and PGlite both expose them). */
interface PgError {
  code?: string;
  constraint?: string;
}

const asPgError = (error: unknown): PgError =>
  typeof error === 'object' && error !== null ? (error as PgError) : {};

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = asPgError(error);
  return pg.code === '23505' && (constraint === undefined || pg.constraint === constraint);
}

export function isForeignKeyViolation(error: unknown, constraint?: string): boolean {
  const pg = asPgError(error);
  return pg.code === '23503' && (constraint === undefined || pg.constraint === constraint);
}
