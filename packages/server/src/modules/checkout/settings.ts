import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { staleVersion } from '../../http/concurrency.js';
import { notFound } from '../../http/problem.js';
import type { CaptureMode } from './tables.js';

export interface CheckoutSettings {
  channelId: string;
  /** automatic: capture right after authorisation (order becomes `paid`); manual: an admin captures later. */
  captureMode: CaptureMode;
  version: number;
}

export async function getCheckoutSettings(db: Executor, channelId: string): Promise<CheckoutSettings> {
  const row = await db
    .selectFrom('checkout_channel_settings')
    .selectAll()
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return { channelId, captureMode: row?.capture_mode ?? 'automatic', version: row?.version ?? 0 };
}

export async function setCheckoutSettings(
  db: Executor,
  channelId: string,
  input: { capture_mode: CaptureMode },
  expectedVersion: number | null,
): Promise<CheckoutSettings> {
  const channel = await db.selectFrom('channels').select('id').where('id', '=', channelId).executeTakeFirst();
  if (!channel) throw notFound('Channel', channelId);
  const current = await getCheckoutSettings(db, channelId);
  if (expectedVersion !== null && expectedVersion !== current.version) {
    throw staleVersion(presentCheckoutSettings(current));
  }
  const row = await db
    .insertInto('checkout_channel_settings')
    .values({ channel_id: channelId, capture_mode: input.capture_mode })
    .onConflict((oc) =>
      oc.column('channel_id').doUpdateSet({
        capture_mode: input.capture_mode,
        version: sql`checkout_channel_settings.version + 1`,
        updated_at: sql`now()`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return { channelId, captureMode: row.capture_mode, version: row.version };
}

export function presentCheckoutSettings(settings: CheckoutSettings) {
  return { channel_id: settings.channelId, capture_mode: settings.captureMode, version: settings.version };
}
