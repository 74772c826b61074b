import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { staleVersion } from '../../http/concurrency.js';
import { conflict, invalid, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { isUniqueViolation } from './db-errors.js';
import type { CategoryRow, CollectionRow } from './tables.js';

export interface CategoryInput {
  handle: string;
  name: string;
  description?: string;
  parent_id?: string | null;
  position?: number;
}

export interface CollectionInput {
  handle: string;
  title: string;
  description?: string;
}

const handleTaken = (what: string, handle: string | undefined) =>
  conflict('handle_taken', `Another ${what} already uses the handle ${handle ?? ''}`);

async function requireParent(db: Executor, parentId: string | null | undefined): Promise<void> {
  if (!parentId) return;
  const found = await db.selectFrom('categories').select('id').where('id', '=', parentId).executeTakeFirst();
  if (!found)
    throw invalid('The parent category does not exist', [
      { field: '/body/parent_id', message: `${parentId} does not exist` },
    ]);
}

export async function createCategory(db: Executor, input: CategoryInput): Promise<CategoryRow> {
  await requireParent(db, input.parent_id);
  try {
    return await db
      .insertInto('categories')
      .values({
        id: newId('pcat'),
        parent_id: input.parent_id ?? null,
        handle: input.handle,
        name: input.name,
        description: input.description ?? '',
        position: input.position ?? 0,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error, 'categories_handle_key')) throw handleTaken('category', input.handle);
    throw error;
  }
}

export async function getCategory(db: Executor, id: string): Promise<CategoryRow> {
  const row = await db.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Category', id);
  return row;
}

/** Every category, parents before children isn't guaranteed: siblings by position, then id. */
export async function listCategories(db: Executor): Promise<CategoryRow[]> {
  return db.selectFrom('categories').selectAll().orderBy('position').orderBy('id').execute();
}

export async function updateCategory(
  db: Executor,
  id: string,
  patch: Partial<CategoryInput>,
  expectedVersion: number | null,
): Promise<CategoryRow> {
  return inTransaction(db, async (tx) => {
    const current = await getCategory(tx, id);
    if (expectedVersion !== null && expectedVersion !== current.version)
      throw staleVersion(presentCategory(current));
    if (patch.parent_id) {
      await requireParent(tx, patch.parent_id);
      const below = await sql<{ id: string }>`WITH RECURSIVE tree AS (
          SELECT id FROM categories WHERE id = ${id}
          UNION ALL SELECT c.id FROM categories c JOIN tree ON c.parent_id = tree.id
        ) SELECT id FROM tree WHERE id = ${patch.parent_id}`.execute(tx);
      if (below.rows.length > 0)
        throw invalid('A category cannot move under itself or its descendants', [
          { field: '/body/parent_id', message: 'would make a cycle' },
        ]);
    }
    try {
      const row = await tx
        .updateTable('categories')
        .set({ ...patch, version: current.version + 1, updated_at: new Date() })
        .where('id', '=', id)
        .where('version', '=', current.version)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw staleVersion(presentCategory(await getCategory(tx, id)));
      return row;
    } catch (error) {
      if (isUniqueViolation(error, 'categories_handle_key')) throw handleTaken('category', patch.handle);
      throw error;
    }
  });
}

export async function deleteCategory(db: Executor, id: string): Promise<void> {
  await getCategory(db, id);
  const child = await db.selectFrom('categories').select('id').where('parent_id', '=', id).executeTakeFirst();
  if (child) throw conflict('category_has_children', 'Move or delete the subcategories first');
  await db.deleteFrom('categories').where('id', '=', id).execute();
}

export function presentCategory(row: CategoryRow) {
  return {
    id: row.id,
    parent_id: row.parent_id,
    handle: row.handle,
    name: row.name,
    description: row.description,
    position: row.position,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export interface CategoryNode {
  id: string;
  handle: string;
  name: string;
  description: string;
  position: number;
  children: CategoryNode[];
}

/** Nests a flat list (already ordered by position, id) into a tree, keeping that order. */
export function buildCategoryTree(rows: readonly CategoryRow[]): CategoryNode[] {
  const nodes = new Map<string, CategoryNode>(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        handle: row.handle,
        name: row.name,
        description: row.description,
        position: row.position,
        children: [],
      },
    ]),
  );
  const roots: CategoryNode[] = [];
  for (const row of rows) {
    const node = nodes.get(row.id) as CategoryNode;
    const parent = row.parent_id ? nodes.get(row.parent_id) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export async function createCollection(db: Executor, input: CollectionInput): Promise<CollectionRow> {
  try {
    return await db
      .insertInto('collections')
      .values({
        id: newId('pcol'),
        handle: input.handle,
        title: input.title,
        description: input.description ?? '',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error, 'collections_handle_key')) throw handleTaken('collection', input.handle);
    throw error;
  }
}

export async function getCollection(db: Executor, id: string): Promise<CollectionRow> {
  const row = await db.selectFrom('collections').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Collection', id);
  return row;
}

export async function listCollections(db: Executor): Promise<CollectionRow[]> {
  return db.selectFrom('collections').selectAll().orderBy('title').orderBy('id').execute();
}

export async function updateCollection(
  db: Executor,
  id: string,
  patch: Partial<CollectionInput>,
  expectedVersion: number | null,
): Promise<CollectionRow> {
  const current = await getCollection(db, id);
  if (expectedVersion !== null && expectedVersion !== current.version)
    throw staleVersion(presentCollection(current));
  try {
    const row = await db
      .updateTable('collections')
      .set({ ...patch, version: current.version + 1, updated_at: new Date() })
      .where('id', '=', id)
      .where('version', '=', current.version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw staleVersion(presentCollection(await getCollection(db, id)));
    return row;
  } catch (error) {
    if (isUniqueViolation(error, 'collections_handle_key')) throw handleTaken('collection', patch.handle);
    throw error;
  }
}

export async function deleteCollection(db: Executor, id: string): Promise<void> {
  const result = await db.deleteFrom('collections').where('id', '=', id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound('Collection', id);
}

export function presentCollection(row: CollectionRow) {
  return {
    id: row.id,
    handle: row.handle,
    title: row.title,
    description: row.description,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
