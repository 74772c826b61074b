import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { staleVersion } from '../../http/concurrency.js';
import { decodeCursor, type PageResult, toPage } from '../../http/pagination.js';
import { conflict, type FieldError, invalid, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { ruleErrors, ruleReferences, type SegmentRules } from './rules.js';
import type { SegmentRow } from './tables.js';

export interface SegmentInput {
  name: string;
  description?: string;
  rules: SegmentRules;
  stale_after_minutes?: number;
}

const REFERENCED = {
  customerGroups: { table: 'customer_groups', what: 'customer group' },
  channels: { table: 'channels', what: 'channel' },
  categories: { table: 'categories', what: 'category' },
} as const;

async function referenceErrors(db: Executor, rules: SegmentRules): Promise<FieldError[]> {
  const references = ruleReferences(rules);
  const errors: FieldError[] = [];
  for (const [kind, { table, what }] of Object.entries(REFERENCED) as [
    keyof typeof REFERENCED,
    (typeof REFERENCED)[keyof typeof REFERENCED],
  ][]) {
    const ids = references[kind];
    if (ids.length === 0) continue;
    const found = await sql<{
      id: string;
    }>`SELECT id FROM ${sql.table(table)} WHERE id = ANY(${ids}::text[])`.execute(db);
    const known = new Set(found.rows.map((row) => row.id));
    for (const id of ids)
      if (!known.has(id)) errors.push({ field: '/body/rules', message: `${what} ${id} was not found` });
  }
  return errors;
}

async function checkRules(db: Executor, rules: SegmentRules): Promise<void> {
  const errors = ruleErrors(rules);
  if (errors.length === 0) errors.push(...(await referenceErrors(db, rules)));
  if (errors.length > 0) throw invalid('The segment rules are not valid', errors);
}

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';
const nameTaken = (name: string) =>
  conflict('segment_name_taken', `A segment named "${name}" already exists`, {
    errors: [{ field: '/body/name', message: 'is already used by another segment' }],
  });

export async function createSegment(db: Executor, input: SegmentInput): Promise<SegmentRow> {
  await checkRules(db, input.rules);
  try {
    return await db
      .insertInto('segments')
      .values({
        id: newId('seg'),
        name: input.name,
        description: input.description ?? '',
        rules: JSON.stringify(input.rules) as never,
        stale_after_minutes: input.stale_after_minutes ?? 60,
        computed_at: null,
        member_count: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

export async function getSegment(db: Executor, id: string): Promise<SegmentRow> {
  const row = await db.selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Segment', id);
  return row;
}

export async function listSegments(
  db: Executor,
  page: { limit: number; cursor?: string },
): Promise<PageResult<SegmentRow>> {
  const after = decodeCursor(page.cursor, 1);
  let query = db
    .selectFrom('segments')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (after) query = query.where('id', '>', String(after[0]));
  return toPage(await query.execute(), page.limit, (row) => [row.id]);
}

export async function updateSegment(
  db: Executor,
  id: string,
  patch: Partial<SegmentInput>,
  expectedVersion: number | null,
): Promise<SegmentRow> {
  const current = await getSegment(db, id);
  if (expectedVersion !== null && expectedVersion !== current.version)
    throw staleVersion(presentSegment(current));
  if (patch.rules) await checkRules(db, patch.rules);
  const { rules, ...rest } = patch;
  try {
    const row = await db
      .updateTable('segments')
      .set({
        ...rest,
        // New rules: the cached membership no longer describes this segment.
        ...(rules ? { rules: JSON.stringify(rules) as never, computed_at: null, member_count: null } : {}),
        version: current.version + 1,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('version', '=', current.version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw staleVersion(presentSegment(await getSegment(db, id)));
    if (rules) await db.deleteFrom('segment_members').where('segment_id', '=', id).execute();
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(patch.name ?? current.name);
    throw error;
  }
}

export async function deleteSegment(db: Executor, id: string): Promise<void> {
  const result = await db.deleteFrom('segments').where('id', '=', id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound('Segment', id);
}

export function presentSegment(row: SegmentRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    rules: row.rules,
    stale_after_minutes: row.stale_after_minutes,
    computed_at: row.computed_at?.toISOString() ?? null,
    member_count: row.member_count,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
