import type { components, paths } from './schema.js';

type Schemas = components['schemas'];

export type Cart = Schemas['Cart'];
export type Customer = Schemas['Customer'];
export type CustomerAddress = Schemas['CustomerAddress'];
export type Order = Schemas['Order'];
export type OrderSummary = Schemas['OrderSummary'];
export type StoreProduct = Schemas['StoreProduct'];
export type StoreProductSummary = Schemas['StoreProductSummary'];
export type StoreCategory = Schemas['StoreCategory'];
export type SearchResult = Schemas['SearchResult'];
export type SearchHit = Schemas['SearchHit'];
export type Problem = Schemas['Problem'];

export type LoginResult =
  paths['/store/v1/customers/login']['post']['responses'][200]['content']['application/json'];
export type RegisterInput = NonNullable<
  paths['/store/v1/customers']['post']['requestBody']
>['content']['application/json'];

/** What a cart stream reports about lines, so a head can tell the shopper at once. */
export type CartNotice =
  | {
      type: 'price_changed';
      line_id: string;
      variant_id: string;
      previous_unit_price: number;
      unit_price: number | null;
    }
  | { type: 'out_of_stock'; line_id: string; variant_id: string; available: number | null }
  | { type: 'unavailable'; line_id: string; variant_id: string };

/** One message of `GET /store/v1/carts/{id}/stream`. */
export interface CartChange {
  /** `cart.snapshot` on (re)connect, else the event type (`cart.updated`, `price.updated`, …). */
  type: string;
  /** The event that changed the cart; null for the snapshot sent when the stream opens. */
  event: { id: string; type: string; resource_id: string } | null;
  cart: Cart;
  notices: CartNotice[];
}

/** One message of `GET /store/v1/customers/me/stream` (`cart.*` and `order.*` events). */
export interface CustomerEvent {
  type: string;
  data: unknown;
}
