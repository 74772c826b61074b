import type { Generated, Selectable } from 'kysely';
import type { SegmentRules } from './rules.js';

export interface SegmentsTable {
  id: string;
  name: string;
  description: Generated<string>;
  rules: SegmentRules;
  stale_after_minutes: Generated<number>;
  computed_at: Date | null;
  member_count: number | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SegmentMembersTable {
  segment_id: string;
  customer_id: string;
  computed_at: Generated<Date>;
}

export type SegmentRow = Selectable<SegmentsTable>;

declare module '../../db/database.js' {
  interface Database {
    segments: SegmentsTable;
    segment_members: SegmentMembersTable;
  }
}
