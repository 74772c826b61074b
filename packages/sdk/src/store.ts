import { createTypedClient, type TypedClient } from './client.js';
import { MerxError } from './errors.js';
import type { paths } from './schema.js';
import { followStream } from './sse.js';
import type { RetryPolicy } from './transport.js';
import type { CartChange, CustomerEvent, LoginResult, RegisterInput } from './types.js';

export interface StoreClientOptions {
  /** Where the API answers, e.g. `https://shop.example.com` (no `/store/v1`). */
  baseUrl: string;
  /** The channel's publishable key (`pk_…`): public, it selects the channel. */
  publishableKey: string;
  /** A session token from an earlier login (e.g. kept in localStorage). */
  customerToken?: string | null;
  /** Called whenever login or logout changes the session, to persist it. */
  onSessionChange?: (token: string | null) => void;
  fetch?: (request: Request) => Promise<Response>;
  retry?: Partial<RetryPolicy>;
}

export interface SubscribeOptions {
  /** The stream was refused or lost access (e.g. 404: the cart is gone or someone else's). */
  onError?: (error: MerxError) => void;
}

export interface StoreClient extends TypedClient {
  readonly customerToken: string | null;
  readonly signedIn: boolean;
  /** Logs in and keeps the session token for later calls; `cartId` merges this device's guest cart. */
  login(email: string, password: string, options?: { cartId?: string }): Promise<LoginResult>;
  /** Revokes the session on the server (when it still exists) and forgets it. */
  logout(): Promise<void>;
  register(
    input: RegisterInput,
  ): Promise<paths['/store/v1/customers']['post']['responses'][201]['content']['application/json']>;
  setCustomerToken(token: string | null): void;
  /**
   * Calls `onChange` with the current cart at once, then on every change to it from any device,
   * channel or admin action (and for price or stock changes touching its lines). Reconnects on
   * its own, resuming with `Last-Event-ID`. Returns the function that stops it.
   */
  subscribeToCart(
    cartId: string,
    onChange: (change: CartChange) => void,
    options?: SubscribeOptions,
  ): () => void;
  /** The signed-in customer's cart and order events, from every device. */
  subscribeToCustomer(onEvent: (event: CustomerEvent) => void, options?: SubscribeOptions): () => void;
}

export function createStoreClient(options: StoreClientOptions): StoreClient {
  let token = options.customerToken ?? null;
  const headers = (): Record<string, string> => ({
    authorization: `Bearer ${options.publishableKey}`,
    ...(token ? { 'x-customer-token': token } : {}),
  });
  const core = createTypedClient({ ...options, headers });
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const setToken = (next: string | null) => {
    if (next === token) return;
    token = next;
    options.onSessionChange?.(next);
  };
  const stream = (
    path: string,
    onMessage: (type: string, data: unknown) => void,
    subscribe?: SubscribeOptions,
  ) =>
    followStream({
      url: `${baseUrl}${path}`,
      fetch: options.fetch ?? ((request) => globalThis.fetch(request)),
      headers,
      onMessage: (message) => onMessage(message.event, JSON.parse(message.data)),
      onError: subscribe?.onError,
    });

  return {
    ...core,
    get customerToken() {
      return token;
    },
    get signedIn() {
      return token !== null;
    },
    setCustomerToken: setToken,
    async login(email, password, loginOptions = {}) {
      const result = await core.post('/store/v1/customers/login', {
        body: { email, password, ...(loginOptions.cartId ? { cart_id: loginOptions.cartId } : {}) },
      });
      setToken(result.token);
      return result;
    },
    async logout() {
      if (!token) return;
      try {
        await core.post('/store/v1/customers/logout');
      } catch (error) {
        // An expired or revoked session is already logged out.
        if (!(error instanceof MerxError && error.status === 401)) throw error;
      } finally {
        setToken(null);
      }
    },
    register: (input) => core.post('/store/v1/customers', { body: input }),
    subscribeToCart(cartId, onChange, subscribe) {
      return stream(
        `/store/v1/carts/${encodeURIComponent(cartId)}/stream`,
        (type, data) => onChange({ type, ...(data as Omit<CartChange, 'type'>) }),
        subscribe,
      );
    },
    subscribeToCustomer(onEvent, subscribe) {
      return stream('/store/v1/customers/me/stream', (type, data) => onEvent({ type, data }), subscribe);
    },
  };
}
