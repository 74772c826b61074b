import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { ApiError, type FieldError, invalid } from '../../http/problem.js';
import { getConsent } from '../customers/index.js';
import { existingProductIds } from './catalog-facts.js';
import { addCounts, addTrendingSignals, viewDayDelta } from './counts.js';
import { refreshNeighbourLists } from './neighbours.js';
import { INTERACTION_WEIGHTS } from './settings.js';
import type { InteractionKind } from './tables.js';

export const VISITOR_ID_PATTERN = '^[A-Za-z0-9_-]{16,64}$';
/** A day basket of more distinct views than this is a crawler, not taste: further views are stored but not paired. */
const VIEW_DAY_PAIR_LIMIT = 50;

export type TrackedKind = Exclude<InteractionKind, 'purchase'>;

export interface TrackedEvent {
  type: TrackedKind;
  product_id?: string;
  query?: string;
  list?: string;
  quantity?: number;
}

export interface TrackInput {
  channelId: string;
  customerId: string | null;
  visitorId: string | null;
  /** Visitors only: true registers consent, false withdraws it (and deletes the visitor's history). */
  consent?: boolean;
  events: readonly TrackedEvent[];
  now?: Date;
}

export interface TrackResult {
  stored: number;
  consent: boolean;
}

function eventErrors(events: readonly TrackedEvent[], known: Set<string>): FieldError[] {
  const errors: FieldError[] = [];
  events.forEach((event, i) => {
    const at = `/body/events/${i}`;
    if (event.type === 'search') {
      if (!event.query) errors.push({ field: `${at}/query`, message: 'is required for a search' });
      if (event.product_id)
        errors.push({ field: `${at}/product_id`, message: 'is not allowed for a search' });
    } else if (!event.product_id) {
      errors.push({ field: `${at}/product_id`, message: `is required for ${event.type}` });
    } else if (!known.has(event.product_id)) {
      errors.push({ field: `${at}/product_id`, message: `${event.product_id} is not a known product` });
    }
    if (event.quantity !== undefined && event.type !== 'add_to_cart')
      errors.push({ field: `${at}/quantity`, message: 'is only for add_to_cart' });
    if (event.list !== undefined && event.type !== 'list_click')
      errors.push({ field: `${at}/list`, message: 'is only for list_click' });
  });
  return errors;
}

interface Owner {
  visitorId: string | null;
  customerId: string | null;
}

/**
 * Who the events belong to, if anyone consented: a signed-in customer by their
 * `consent_personalisation` flag; a visitor by its consent row (created or withdrawn here).
 */
async function consentingOwner(tx: Executor, input: TrackInput): Promise<Owner | null> {
  if (input.customerId) {
    const consent = await getConsent(tx, input.customerId);
    return consent.personalisation ? { visitorId: null, customerId: input.customerId } : null;
  }
  const visitorId = input.visitorId!;
  if (input.consent === false) {
    await tx.deleteFrom('personalisation_visitors').where('id', '=', visitorId).execute();
    return null;
  }
  if (input.consent === true) {
    await sql`INSERT INTO personalisation_visitors (id, channel_id, consented_at)
      VALUES (${visitorId}, ${input.channelId}, now()) ON CONFLICT (id) DO NOTHING`.execute(tx);
  }
  const visitor = await tx
    .selectFrom('personalisation_visitors')
    .select(['id', 'customer_id'])
    .where('id', '=', visitorId)
    .executeTakeFirst();
  if (!visitor) return null;
  // Stitched to a customer: the customer's own choice now governs this visitor ID too.
  if (visitor.customer_id && !(await getConsent(tx, visitor.customer_id)).personalisation) return null;
  return { visitorId: visitor.id, customerId: visitor.customer_id };
}

/** Distinct products this shopper viewed earlier in the (UTC) day: the day's view basket so far. */
async function viewedToday(tx: Executor, owner: Owner, now: Date): Promise<string[]> {
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  let query = tx
    .selectFrom('interactions')
    .select('product_id')
    .distinct()
    .where('kind', '=', 'product_view')
    .where('occurred_at', '>=', dayStart);
  query = owner.customerId
    ? query.where('customer_id', '=', owner.customerId)
    : query.where('visitor_id', '=', owner.visitorId);
  return (await query.limit(VIEW_DAY_PAIR_LIMIT).execute()).map((row) => row.product_id!);
}

/**
 * `POST /store/v1/events`: stores the batch only when the shopper consented, and feeds the
 * aggregate statistics (co-views, trending) in the same transaction. Without consent
 * nothing at all is written.
 */
export async function trackEvents(db: Executor, input: TrackInput): Promise<TrackResult> {
  if (!input.customerId && !input.visitorId)
    throw invalid('Send a visitor_id, or sign in (X-Customer-Token)', [
      { field: '/body/visitor_id', message: 'is required when no customer is signed in' },
    ]);
  const productIds = input.events.flatMap((event) => (event.product_id ? [event.product_id] : []));
  const errors = eventErrors(input.events, await existingProductIds(db, productIds));
  if (errors.length > 0) throw invalid('Some events are not valid; none were stored', errors);
  const now = input.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const owner = await consentingOwner(tx, input);
    if (!owner) return { stored: 0, consent: false };
    const before = input.events.some((event) => event.type === 'product_view')
      ? await viewedToday(tx, owner, now)
      : [];
    await tx
      .insertInto('interactions')
      .values(
        input.events.map((event) => ({
          channel_id: input.channelId,
          visitor_id: owner.visitorId,
          customer_id: owner.customerId,
          kind: event.type,
          product_id: event.product_id ?? null,
          query: event.query ?? null,
          list: event.list ?? null,
          quantity: event.quantity ?? null,
          occurred_at: now,
        })),
      )
      .execute();
    const viewed = input.events.filter((e) => e.type === 'product_view').map((e) => e.product_id!);
    const fresh = viewed.filter((id) => !before.includes(id)).slice(0, VIEW_DAY_PAIR_LIMIT - before.length);
    const delta = viewDayDelta(before, fresh);
    await addCounts(tx, 'view', delta);
    await addTrendingSignals(
      tx,
      input.channelId,
      input.events.flatMap((event) => {
        const weight = INTERACTION_WEIGHTS[event.type];
        return weight && event.product_id ? [{ productId: event.product_id, at: now.getTime(), weight }] : [];
      }),
    );
    if (delta.items.length > 0)
      await refreshNeighbourLists(
        tx,
        delta.items.map((item) => item.productId),
        { boughtTogether: false },
      );
    return { stored: input.events.length, consent: true };
  });
}

export interface StitchResult {
  stitched: boolean;
  /** Interactions of the visitor now attributed to the customer. */
  moved: number;
}

/**
 * At login: the visitor's anonymous history becomes the customer's, if the customer also
 * consents to personalisation (otherwise it stays anonymous under the visitor ID). A visitor
 * already stitched to someone else is refused: a shared device must not hand one person's
 * history to another.
 */
export async function stitchVisitorToCustomer(
  tx: Executor,
  input: { visitorId: string; customerId: string },
): Promise<StitchResult> {
  const visitor = await tx
    .selectFrom('personalisation_visitors')
    .select(['id', 'customer_id'])
    .where('id', '=', input.visitorId)
    .forUpdate()
    .executeTakeFirst();
  if (!visitor) return { stitched: false, moved: 0 };
  if (visitor.customer_id !== null && visitor.customer_id !== input.customerId)
    throw new ApiError(
      409,
      'visitor_belongs_to_another_customer',
      'This visitor ID is already linked to another customer; start a new visitor ID after logout',
    );
  if (!(await getConsent(tx, input.customerId)).personalisation) return { stitched: false, moved: 0 };
  await tx
    .updateTable('personalisation_visitors')
    .set({ customer_id: input.customerId, stitched_at: sql`coalesce(stitched_at, now())` })
    .where('id', '=', input.visitorId)
    .execute();
  const moved = await tx
    .updateTable('interactions')
    .set({ customer_id: input.customerId })
    .where('visitor_id', '=', input.visitorId)
    .where('customer_id', 'is', null)
    .executeTakeFirst();
  return { stitched: true, moved: Number(moved.numUpdatedRows) };
}

/** Everything personalisation holds about a customer, for `GET /customers/me/data`. */
export async function exportShopperData(db: Executor, customerId: string) {
  const consent = await getConsent(db, customerId);
  const visitors = await db
    .selectFrom('personalisation_visitors')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .execute();
  const interactions = await db
    .selectFrom('interactions')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('customer_id', '=', customerId),
        eb('visitor_id', 'in', visitors.length ? visitors.map((v) => v.id) : ['']),
      ]),
    )
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
  return { consent, visitors, interactions };
}

/**
 * `DELETE /customers/me/data`: the customer's interactions and every visitor ID stitched to
 * them (with the anonymous history behind it). Aggregate counts hold no shopper and stay.
 */
export async function deleteShopperData(
  db: Executor,
  customerId: string,
): Promise<{ interactions: number; visitors: number }> {
  return inTransaction(db, async (tx) => {
    const visitors = await tx
      .selectFrom('personalisation_visitors')
      .select('id')
      .where('customer_id', '=', customerId)
      .execute();
    const ids = visitors.map((v) => v.id);
    const interactions = await tx
      .deleteFrom('interactions')
      .where((eb) =>
        eb.or([eb('customer_id', '=', customerId), eb('visitor_id', 'in', ids.length ? ids : [''])]),
      )
      .executeTakeFirst();
    if (ids.length) await tx.deleteFrom('personalisation_visitors').where('id', 'in', ids).execute();
    return { interactions: Number(interactions.numDeletedRows), visitors: ids.length };
  });
}
