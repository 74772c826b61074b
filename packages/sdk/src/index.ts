export { type AdminClient, type AdminClientOptions, createAdminClient } from './admin.js';
export type { Call, TypedClient } from './client.js';
export { type FieldError, isMerxError, MerxError } from './errors.js';
export { type Page, paginate } from './paginate.js';
export type { components, operations, paths } from './schema.js';
export { createSseParser, followStream, type SseMessage, type StreamOptions } from './sse.js';
export {
  createStoreClient,
  type StoreClient,
  type StoreClientOptions,
  type SubscribeOptions,
} from './store.js';
export { DEFAULT_RETRY, newIdempotencyKey, type RetryPolicy, resilientFetch } from './transport.js';
export type * from './types.js';
