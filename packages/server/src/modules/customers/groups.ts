import { type ExpressionBuilder, sql } from 'kysely';
import type { Database, Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { staleVersion } from '../../http/concurrency.js';
import { ApiError, conflict, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import type { CustomerGroupRow } from './tables.js';

export interface GroupInput {
  name: string;
  description?: string | null;
  metadata?: Record<string, unknown>;
}

export type GroupWithCount = CustomerGroupRow & { member_count: number };

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';
const nameTaken = () =>
  conflict('group_name_taken', 'Another customer group has this name', {
    errors: [{ field: '/body/name', message: 'is already used by another group' }],
  });

const memberCount = (eb: ExpressionBuilder<Database, 'customer_groups'>) =>
  sql<number>`(SELECT count(*)::int FROM customer_group_members m
    WHERE m.group_id = ${eb.ref('customer_groups.id')})`.as('member_count');

export async function listGroups(db: Executor): Promise<GroupWithCount[]> {
  return db.selectFrom('customer_groups').selectAll().select(memberCount).orderBy('name').execute();
}

export async function getGroup(db: Executor, id: string): Promise<GroupWithCount> {
  const row = await db
    .selectFrom('customer_groups')
    .selectAll()
    .select(memberCount)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Customer group', id);
  return row;
}

export async function createGroup(db: Executor, input: GroupInput): Promise<GroupWithCount> {
  try {
    const row = await db
      .insertInto('customer_groups')
      .values({
        id: newId('cgrp'),
        name: input.name,
        description: input.description ?? null,
        metadata: JSON.stringify(input.metadata ?? {}) as never,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...row, member_count: 0 };
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

export async function updateGroup(
  db: Executor,
  id: string,
  patch: Partial<GroupInput>,
  expectedVersion: number | null,
): Promise<GroupWithCount> {
  const current = await getGroup(db, id);
  if (expectedVersion !== null && expectedVersion !== current.version)
    throw staleVersion(presentGroup(current));
  const { metadata, ...rest } = patch;
  try {
    const row = await db
      .updateTable('customer_groups')
      .set({
        ...rest,
        ...(metadata ? { metadata: JSON.stringify(metadata) as never } : {}),
        version: current.version + 1,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('version', '=', current.version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw staleVersion(presentGroup(await getGroup(db, id)));
    return { ...row, member_count: current.member_count };
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

export async function deleteGroup(db: Executor, id: string): Promise<void> {
  const result = await db.deleteFrom('customer_groups').where('id', '=', id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound('Customer group', id);
}

/**
 * Adds customers to a group; already-members are left as they are. Every id must exist,
 * otherwise nothing is added and the unknown ones are named.
 */
export async function addMembers(
  db: Executor,
  groupId: string,
  customerIds: string[],
): Promise<GroupWithCount> {
  return inTransaction(db, async (tx) => {
    await getGroup(tx, groupId);
    const found = await tx.selectFrom('customers').select('id').where('id', 'in', customerIds).execute();
    const known = new Set(found.map((row) => row.id));
    const missing = customerIds.flatMap((id, index) => (known.has(id) ? [] : [{ id, index }]));
    if (missing.length > 0) {
      throw new ApiError(404, 'not_found', `Unknown customers: ${missing.map((m) => m.id).join(', ')}`, {
        errors: missing.map((m) => ({
          field: `/body/customer_ids/${m.index}`,
          message: 'is not a customer',
        })),
      });
    }
    await tx
      .insertInto('customer_group_members')
      .values(customerIds.map((customerId) => ({ group_id: groupId, customer_id: customerId })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    return getGroup(tx, groupId);
  });
}

export async function removeMember(db: Executor, groupId: string, customerId: string): Promise<void> {
  await getGroup(db, groupId);
  const result = await db
    .deleteFrom('customer_group_members')
    .where('group_id', '=', groupId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound('Member of this group', customerId);
}

export function presentGroup(row: GroupWithCount) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    metadata: row.metadata,
    member_count: row.member_count,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
