import { type RawBuilder, sql } from 'kysely';

/**
 * PostgreSQL plans a prepared statement for its parameters' values ("custom plans") until its
 * generic plan is estimated no dearer. A parameter that moves the estimates — an array's length
 * under `= ANY`, the rows of an `unnest` — keeps the custom plan winning, so the statement is
 * planned on every execution: the cart's sellable-variants join spent 4× its run time in the
 * planner (docs/performance.md, "Write path"). Read through a sub-select, the value is unknown
 * to both plans, their estimates match, and from the sixth execution on the generic plan is kept.
 * On PGlite (no prepared statements) these forms cost nothing extra.
 */

/** `= ANY(…)` of a text array, planned once per connection. */
export function anyOfTexts(values: readonly string[]): RawBuilder<unknown> {
  return sql`ANY(ARRAY(SELECT unnest(${[...values]}::text[])))`;
}

/** `unnest(a, b, …)` of parallel arrays the planner cannot see into (for a set-based UPDATE … FROM). */
export function unplannedUnnest(columns: ReadonlyArray<[readonly unknown[], 'text' | 'int' | 'float8']>) {
  const arrays = columns.map(([values, type]) => sql`(SELECT ${[...values]}::${sql.raw(type)}[])`);
  return sql`unnest(${sql.join(arrays)})`;
}

/**
 * A constant written into the statement's text instead of a parameter: a partial index
 * (`WHERE status = 'active'`) serves a generic plan only when the predicate is spelled out.
 */
export function literal<T extends string | boolean>(value: T): RawBuilder<T> {
  return sql.lit(value);
}
