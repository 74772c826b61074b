import type { Db } from '../db/database.js';
import {
  createCategory,
  createCollection,
  listCategories,
  listCollections,
} from '../modules/catalog/taxonomy.js';
import { CATEGORY_TREE, type CategoryNode, COLLECTIONS } from './catalog-data.js';

/** Creates the demo category tree (positions keep the display order) where a handle is missing. */
export async function ensureDemoCategories(db: Db): Promise<number> {
  const byHandle = new Map((await listCategories(db)).map((row) => [row.handle, row.id]));
  let created = 0;
  const walk = async (nodes: CategoryNode[], parentId: string | null) => {
    for (const [position, node] of nodes.entries()) {
      let id = byHandle.get(node.handle);
      if (!id) {
        id = (
          await createCategory(db, { handle: node.handle, name: node.name, parent_id: parentId, position })
        ).id;
        created++;
      }
      await walk(node.children ?? [], id);
    }
  };
  await walk(CATEGORY_TREE, null);
  return created;
}

export async function ensureDemoCollections(db: Db): Promise<number> {
  const handles = new Set((await listCollections(db)).map((row) => row.handle));
  let created = 0;
  for (const collection of COLLECTIONS) {
    if (handles.has(collection.handle)) continue;
    await createCollection(db, { ...collection });
    created++;
  }
  return created;
}
