import { hash, verify } from '@node-rs/argon2';
import type { Executor } from '../../db/database.js';
import { ApiError, conflict, notFound } from '../../http/problem.js';
import { hashSecret, newId, newSecret } from '../../lib/ids.js';
import { ROLE_SCOPES } from './roles.js';
import type { StaffRole, StaffRow } from './tables.js';

const SESSION_HOURS = 12;
// Verifying against a real hash when the email is unknown keeps both answers equally slow.
let decoyHash: Promise<string> | null = null;

export interface StaffPrincipal {
  staffId: string;
  role: StaffRole;
  scopes: string[];
}

export async function createStaff(
  db: Executor,
  input: { email: string; name: string; role: StaffRole; password: string },
): Promise<StaffRow> {
  const existing = await db
    .selectFrom('staff_users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase()))
    .executeTakeFirst();
  if (existing) throw conflict('email_taken', `A staff account for ${input.email} already exists`);
  return db
    .insertInto('staff_users')
    .values({
      id: newId('staff'),
      email: input.email,
      name: input.name,
      role: input.role,
      password_hash: await hash(input.password),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function loginStaff(
  db: Executor,
  email: string,
  password: string,
): Promise<{ token: string; expiresAt: Date; staff: StaffRow }> {
  const staff = await db
    .selectFrom('staff_users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  decoyHash ??= hash('decoy-password-for-timing');
  const valid = await verify(staff?.password_hash ?? (await decoyHash), password);
  if (!staff || !valid) throw new ApiError(401, 'invalid_credentials', 'Email or password is wrong');
  const token = newSecret('st');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
  await db
    .insertInto('staff_sessions')
    .values({ id: newId('stses'), staff_id: staff.id, token_hash: hashSecret(token), expires_at: expiresAt })
    .execute();
  return { token, expiresAt, staff };
}

export async function resolveStaffToken(db: Executor, token: string): Promise<StaffPrincipal | null> {
  const row = await db
    .selectFrom('staff_sessions')
    .innerJoin('staff_users', 'staff_users.id', 'staff_sessions.staff_id')
    .select(['staff_users.id', 'staff_users.role'])
    .where('staff_sessions.token_hash', '=', hashSecret(token))
    .where('staff_sessions.revoked_at', 'is', null)
    .where('staff_sessions.expires_at', '>', new Date())
    .where('staff_users.disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? { staffId: row.id, role: row.role, scopes: ROLE_SCOPES[row.role] } : null;
}

export async function logoutStaff(db: Executor, token: string): Promise<void> {
  await db
    .updateTable('staff_sessions')
    .set({ revoked_at: new Date() })
    .where('token_hash', '=', hashSecret(token))
    .execute();
}

export async function listStaff(db: Executor): Promise<StaffRow[]> {
  return db.selectFrom('staff_users').selectAll().orderBy('id').execute();
}

export async function updateStaff(
  db: Executor,
  id: string,
  patch: { name?: string; role?: StaffRole; disabled?: boolean },
): Promise<StaffRow> {
  const { disabled, ...rest } = patch;
  const row = await db
    .updateTable('staff_users')
    .set((eb) => ({
      ...rest,
      ...(disabled === undefined ? {} : { disabled_at: disabled ? new Date() : null }),
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('Staff account', id);
  return row;
}

export function presentStaff(row: StaffRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    scopes: ROLE_SCOPES[row.role],
    disabled: row.disabled_at !== null,
    version: row.version,
    created_at: row.created_at.toISOString(),
  };
}
