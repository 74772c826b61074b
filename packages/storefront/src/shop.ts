import {
  type Cart,
  type CartNotice,
  type Customer,
  createStoreClient,
  isMerxError,
  MerxError,
  type paths,
  type StoreClient,
} from '@merx/sdk';
import { useEffect, useState } from 'preact/hooks';

/** What `/storefront-config.json` tells the head: the API address and the channel's public key. */
export interface StorefrontConfig {
  api_base_url: string;
  publishable_key: string | null;
  channel: { id: string; name: string } | null;
}

export interface ShopState {
  cart: Cart | null;
  customer: Customer | null;
  drawerOpen: boolean;
  /** Lines whose price or stock changed since the shopper last looked. */
  notices: CartNotice[];
  /** A short message for the live region (added to cart, cart changed elsewhere…). */
  announcement: string;
  /** True while the cart stream is connected. */
  live: boolean;
  /** The visitor asked to see the personalisation question again. */
  consentAsked: boolean;
}

type TrackedEvent = NonNullable<
  paths['/store/v1/events']['post']['requestBody']
>['content']['application/json']['events'][number];

const CONSENT_KEY = 'merx.consent';

/** The anonymous visitor's answer to the personalisation question, or null before they answer. */
export function visitorConsent(): boolean | null {
  const answer = window.localStorage.getItem(CONSENT_KEY);
  return answer === null ? null : answer === 'true';
}

export function setVisitorConsent(consent: boolean): void {
  window.localStorage.setItem(CONSENT_KEY, String(consent));
}

type CartPatch = NonNullable<
  paths['/store/v1/carts/{id}']['patch']['requestBody']
>['content']['application/json'];

const CART_KEY = 'merx.cart';
const TOKEN_KEY = 'merx.customer-token';
const VISITOR_KEY = 'merx.visitor';
const ORDER_TOKENS_KEY = 'merx.order-tokens';

const storage = {
  get: (key: string) => window.localStorage.getItem(key),
  set: (key: string, value: string | null) =>
    value === null ? window.localStorage.removeItem(key) : window.localStorage.setItem(key, value),
};

function visitorId(): string {
  let id = storage.get(VISITOR_KEY);
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    storage.set(VISITOR_KEY, id);
  }
  return id;
}

/**
 * The shopper's session in this browser: the SDK client, the cart (followed live over its
 * stream, so a change from another device shows at once) and the signed-in customer.
 */
export class Shop {
  readonly store: StoreClient;
  readonly currency: string;
  readonly locale: string;
  readonly visitorId = visitorId();
  state: ShopState = {
    cart: null,
    customer: null,
    drawerOpen: false,
    notices: [],
    announcement: '',
    live: false,
    consentAsked: false,
  };
  private listeners = new Set<() => void>();
  private stopCart: (() => void) | null = null;
  private cartSubscription: symbol | null = null;
  private stopCustomer: (() => void) | null = null;

  constructor(
    readonly config: StorefrontConfig & { publishable_key: string },
    channel: { default_currency: string; locale: string },
  ) {
    this.currency = channel.default_currency;
    this.locale = channel.locale || 'en';
    this.store = createStoreClient({
      baseUrl: config.api_base_url,
      publishableKey: config.publishable_key,
      customerToken: storage.get(TOKEN_KEY),
      onSessionChange: (token) => storage.set(TOKEN_KEY, token),
    });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  update(patch: Partial<ShopState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  announce(text: string): void {
    this.update({ announcement: text });
  }

  /** Restores the session and the cart of this browser. */
  async start(): Promise<void> {
    if (this.store.signedIn) {
      try {
        this.update({ customer: await this.store.get('/store/v1/customers/me') });
        this.followCustomer();
      } catch (error) {
        if (isMerxError(error) && error.status === 401) this.store.setCustomerToken(null);
        else throw error;
      }
    }
    const cartId = storage.get(CART_KEY);
    if (cartId) {
      try {
        this.useCart(await this.store.get('/store/v1/carts/{id}', { params: { path: { id: cartId } } }));
      } catch (error) {
        if (isMerxError(error) && error.status === 404) this.useCart(null);
        else throw error;
      }
    }
  }

  /** Makes `cart` this browser's cart and follows it live; a finished cart is forgotten. */
  useCart(cart: Cart | null): void {
    if (cart && cart.status !== 'active') {
      if (cart.status === 'merged' && cart.merged_into) void this.adoptCart(cart.merged_into);
      cart = null;
    }
    const changed = cart?.id !== this.state.cart?.id;
    storage.set(CART_KEY, cart?.id ?? null);
    this.update({ cart });
    if (!changed) return;
    this.stopCart?.();
    this.stopCart = null;
    this.cartSubscription = null;
    if (!cart) {
      this.update({ live: false, notices: [] });
      return;
    }
    // Messages of a stream this browser already left (e.g. at sign-in) must not touch the state.
    const subscription = Symbol(cart.id);
    this.cartSubscription = subscription;
    const current = () => this.cartSubscription === subscription;
    this.stopCart = this.store.subscribeToCart(
      cart.id,
      (change) => {
        if (!current()) return;
        const previous = this.state.cart;
        if (change.cart.status !== 'active') return this.useCart(change.cart);
        // Keep the newest version: a reply to our own write may already be ahead of the stream.
        if (previous && previous.version > change.cart.version) return;
        this.update({ cart: change.cart, notices: change.notices, live: true });
        if (change.type !== 'cart.snapshot' && previous && previous.version < change.cart.version) {
          const count = change.cart.lines.reduce((sum, line) => sum + line.quantity, 0);
          this.announce(`Your cart was updated: ${count} item${count === 1 ? '' : 's'}`);
        }
      },
      { onError: () => current() && this.useCart(null) },
    );
  }

  private async adoptCart(id: string) {
    try {
      this.useCart(await this.store.get('/store/v1/carts/{id}', { params: { path: { id } } }));
    } catch {
      this.useCart(null);
    }
  }

  /** The signed-in customer's other devices may start a cart: adopt it when this one has none. */
  private followCustomer() {
    this.stopCustomer?.();
    this.stopCustomer = this.store.subscribeToCustomer((event) => {
      const data = event.data as { id?: string; status?: string } | null;
      if (!event.type.startsWith('cart.') || !data?.id || data.status !== 'active') return;
      if (!this.state.cart) void this.adoptCart(data.id);
    });
  }

  async ensureCart(): Promise<Cart> {
    if (this.state.cart) return this.state.cart;
    const cart = await this.store.post('/store/v1/carts', { body: { currency: this.currency } });
    this.useCart(cart);
    return cart;
  }

  async addToCart(variantId: string, quantity: number, productTitle: string): Promise<void> {
    const cart = await this.ensureCart();
    const updated = await this.store.post('/store/v1/carts/{id}/lines', {
      params: { path: { id: cart.id } },
      body: { variant_id: variantId, quantity },
    });
    this.applyWrite(updated);
    this.announce(`Added ${quantity} × ${productTitle} to your cart`);
    this.track([
      {
        type: 'add_to_cart',
        product_id: updated.lines.find((l) => l.variant_id === variantId)?.product_id ?? undefined,
        quantity,
      },
    ]);
  }

  async setQuantity(lineId: string, quantity: number): Promise<void> {
    const cart = this.state.cart;
    if (!cart) return;
    const params = { path: { id: cart.id, line_id: lineId }, header: { 'if-match': String(cart.version) } };
    try {
      const updated =
        quantity <= 0
          ? await this.store.delete('/store/v1/carts/{id}/lines/{line_id}', { params })
          : await this.store.patch('/store/v1/carts/{id}/lines/{line_id}', { params, body: { quantity } });
      this.applyWrite(updated as Cart);
    } catch (error) {
      // Another device changed the cart first: show what it holds now rather than overwrite it.
      if (isMerxError(error) && error.status === 409 && error.body.current) {
        this.applyWrite(error.body.current as Cart);
        this.announce('Your cart changed on another device; please check it again');
        return;
      }
      throw error;
    }
  }

  applyWrite(cart: Cart): void {
    if (this.state.cart && this.state.cart.id === cart.id && this.state.cart.version > cart.version) return;
    if (cart.id !== this.state.cart?.id) this.useCart(cart);
    else this.update({ cart });
  }

  async updateCart(body: CartPatch): Promise<Cart> {
    const cart = await this.ensureCart();
    const updated = await this.store.patch('/store/v1/carts/{id}', {
      params: { path: { id: cart.id } },
      body,
    });
    this.applyWrite(updated);
    return updated;
  }

  openDrawer(open = true): void {
    this.update({ drawerOpen: open });
  }

  /**
   * Signs in and continues the customer's cart: this browser's guest cart is merged into it
   * (creating an empty one first, so the answer names the customer's cart on any device).
   */
  async login(email: string, password: string): Promise<void> {
    const guest = this.state.cart ?? (await this.ensureCart());
    const result = await this.store.login(email, password, { cartId: guest.id });
    this.update({ customer: result.customer });
    const cartId = result.cart_merge?.cart_id;
    if (cartId && cartId !== guest.id) {
      this.stopCart?.();
      this.stopCart = null;
      this.cartSubscription = null;
      this.update({ cart: null });
      await this.adoptCart(cartId);
    } else {
      // The same cart now belongs to the customer: reopen its stream with the session.
      this.stopCart?.();
      this.stopCart = null;
      this.cartSubscription = null;
      this.update({ cart: null });
      await this.adoptCart(guest.id);
    }
    this.followCustomer();
    await this.store
      .post('/store/v1/customers/me/visitor', { body: { visitor_id: this.visitorId } })
      .catch(() => {});
  }

  async logout(): Promise<void> {
    this.stopCustomer?.();
    this.stopCustomer = null;
    await this.store.logout();
    this.useCart(null);
    this.update({ customer: null });
  }

  /** Interaction tracking for recommendations; the server stores nothing without consent. */
  track(events: TrackedEvent[]): void {
    if (this.store.signedIn) {
      // The customer's profile consent decides; the server stores nothing without it.
      this.store.post('/store/v1/events', { body: { events } }).catch(() => {});
      return;
    }
    // A visitor who did not say yes is not tracked at all (the server would store nothing anyway).
    if (visitorConsent() !== true) return;
    this.store
      .post('/store/v1/events', { body: { visitor_id: this.visitorId, consent: true, events } })
      .catch(() => {});
  }

  rememberOrderToken(orderId: string, token: string): void {
    const tokens = JSON.parse(storage.get(ORDER_TOKENS_KEY) ?? '{}') as Record<string, string>;
    tokens[orderId] = token;
    storage.set(ORDER_TOKENS_KEY, JSON.stringify(tokens));
  }

  orderToken(orderId: string): string | null {
    return (JSON.parse(storage.get(ORDER_TOKENS_KEY) ?? '{}') as Record<string, string>)[orderId] ?? null;
  }
}

/** Re-renders the calling component whenever the shop state changes. */
export function useShopState(shop: Shop): ShopState {
  const [state, setState] = useState(shop.state);
  useEffect(() => shop.subscribe(() => setState(shop.state)), [shop]);
  return state;
}

/** A readable message for any failure, for the shopper. */
export function errorMessage(error: unknown): string {
  if (error instanceof MerxError) {
    const fields = error.errors.map((entry) => entry.message).join('; ');
    return fields ? `${error.detail} (${fields})` : error.detail;
  }
  // A TypeError is fetch failing (offline, server down): its text means nothing to a shopper.
  if (error instanceof Error && !(error instanceof TypeError)) return error.message;
  return 'Something went wrong; please try again.';
}
