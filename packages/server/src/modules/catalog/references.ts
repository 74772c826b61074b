import type { Executor } from '../../db/database.js';
import type { FieldError } from '../../http/problem.js';
import { listChannels } from '../channels/service.js';

function missing(ids: readonly string[], known: Set<string>, field: string): FieldError[] {
  return ids.flatMap((id, index) =>
    known.has(id) ? [] : [{ field: `${field}/${index}`, message: `${id} does not exist` }],
  );
}

/** Unknown references become field errors (422) before any write, not foreign-key failures. */
export async function unknownReferenceErrors(
  db: Executor,
  table: 'categories' | 'collections' | 'products',
  ids: readonly string[] | undefined,
  field: string,
): Promise<FieldError[]> {
  if (!ids || ids.length === 0) return [];
  const found = await db
    .selectFrom(table)
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return missing(ids, new Set(found.map((row) => row.id)), field);
}

export async function unknownChannelErrors(
  db: Executor,
  ids: readonly string[] | undefined,
  field: string,
): Promise<FieldError[]> {
  if (!ids || ids.length === 0) return [];
  const channels = await listChannels(db);
  return missing(ids, new Set(channels.map((channel) => channel.id)), field);
}
