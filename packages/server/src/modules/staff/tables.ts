import type { Generated, Selectable } from 'kysely';

export type StaffRole = 'owner' | 'catalog_manager' | 'support' | 'read_only';

export interface StaffUsersTable {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  password_hash: string;
  disabled_at: Date | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface StaffSessionsTable {
  id: string;
  staff_id: string;
  token_hash: string;
  expires_at: Date;
  revoked_at: Date | null;
  created_at: Generated<Date>;
}

export type StaffRow = Selectable<StaffUsersTable>;

declare module '../../db/database.js' {
  interface Database {
    staff_users: StaffUsersTable;
    staff_sessions: StaffSessionsTable;
  }
}
