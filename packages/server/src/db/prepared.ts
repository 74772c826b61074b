import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Statements kept prepared per connection; the least recently used is deallocated beyond this. */
export const PREPARED_PER_CONNECTION = 400;

/** Hashing every statement's text cost more than a lookup; the texts are few and reused. */
const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= 10_000) names.clear();
    name = `merx_${createHash('sha1').update(text).digest('hex')}`;
    names.set(text, name);
  }
  return name;
}

type QueryFn = (config: unknown, values?: unknown, callback?: unknown) => unknown;

interface ProtocolState {
  parsedStatements: Record<string, string>;
}

/**
 * Prepares every parameterised statement once per connection and re-executes it by name:
 * PostgreSQL skips parsing and analysis, and after a few runs re-uses its plan. Measured on
 * the write path: see docs/performance.md. Three things it must not get wrong:
 *
 * - A plan is not re-made when a planner setting changes. Search turns settings off for one
 *   transaction (`set_config(..., true)`), so from that statement to the transaction's end
 *   nothing is prepared or re-used on that connection.
 * - `pg` keeps prepared names forever; here each connection keeps the most recently used
 *   `PREPARED_PER_CONNECTION` and deallocates the rest (IN-lists of every length, search
 *   filters in every combination would otherwise grow without bound).
 * - A migration that changes a table's columns while this node runs makes PostgreSQL refuse a
 *   prepared `SELECT *` of that table ("cached plan must not change result type"): that one
 *   statement fails once per connection, and its next use prepares it afresh under a new name.
 */
export function prepareStatements(client: pg.ClientBase, limit = PREPARED_PER_CONNECTION): void {
  const query = client.query.bind(client) as QueryFn;
  const protocol = (client as unknown as { connection: ProtocolState }).connection;
  const recent = new Map<string, true>();
  /** Statements PostgreSQL refused after a schema change: prepared again under a new name. */
  const reprepared = new Map<string, number>();
  let plannerTuned = false;

  // Runs before the next statement (never beside one); a failed DEALLOCATE leaves the name known
  // to pg, so it is re-used rather than prepared twice.
  const evict = async (name: string) => {
    recent.delete(name);
    if (protocol.parsedStatements[name] === undefined) return;
    try {
      await query(`DEALLOCATE "${name}"`);
      delete protocol.parsedStatements[name];
    } catch {}
  };

  (client as unknown as { query: QueryFn }).query = (config, values, callback) => {
    if (typeof config !== 'string' || callback !== undefined) return query(config, values, callback);
    if (/^\s*(commit|rollback)\b/i.test(config)) plannerTuned = false;
    else if (config.includes('set_config(')) plannerTuned = true;
    if (plannerTuned || !Array.isArray(values) || values.length === 0) return query(config, values);
    const generation = reprepared.get(config) ?? 0;
    const name = `${statementName(config)}_${generation}`;
    recent.delete(name);
    recent.set(name, true);
    const run = () =>
      (query({ name, text: config, values }) as Promise<unknown>).catch((error: { code?: string }) => {
        if (error.code === '0A000') {
          reprepared.set(config, generation + 1);
          recent.delete(name);
        }
        throw error;
      });
    if (recent.size <= limit) return run();
    return evict(recent.keys().next().value as string).then(run);
  };
}
