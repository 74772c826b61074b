import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { MerxConfig } from '../config.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { Db } from '../db/database.js';

/** What every route can reach through `request.server.merx`. */
export interface MerxContext {
  config: MerxConfig;
  database: DatabaseHandle;
  db: Db;
}

export interface StoreChannel {
  id: string;
  name: string;
  kind: string;
  defaultCurrency: string;
  currencies: string[];
  locale: string;
  headProfile: 'full' | 'compact' | 'speakable';
}

/** The signed-in shopper on a store request (`X-Customer-Token`), resolved by the customers module. */
export interface StoreCustomer {
  id: string;
  email: string;
  /** Customer groups, for group prices and promotion conditions. */
  groupIds: string[];
}

export interface AdminPrincipal {
  kind: 'secret_key' | 'staff';
  id: string;
  scopes: string[];
}

/** A domain module plugs its routes in here; prefixes and auth come from the app. */
export interface MerxModule {
  name: string;
  storeRoutes?: FastifyPluginAsyncTypebox;
  adminRoutes?: FastifyPluginAsyncTypebox;
  /** Unauthenticated routes (payment provider webhooks, …), mounted at the root. */
  publicRoutes?: FastifyPluginAsyncTypebox;
}

declare module 'fastify' {
  interface FastifyInstance {
    merx: MerxContext;
  }
  interface FastifyRequest {
    channel: StoreChannel;
    apiKeyId: string;
    /** Null when the store request carries no `X-Customer-Token`. */
    customer: StoreCustomer | null;
    admin: AdminPrincipal;
  }
  interface FastifyContextConfig {
    /** The response carries a credential: never stored for Idempotency-Key replays. */
    returnsCredential?: boolean;
    /** Admin route reachable without credentials (staff login). */
    public?: boolean;
    /** Admin scope the route requires, e.g. `catalog:write`. */
    scope?: string;
    /** Cache-Control for cacheable GETs; also turns on ETag / 304 handling. */
    cacheControl?: string;
  }
}
