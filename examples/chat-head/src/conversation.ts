import { type Cart, createStoreClient, isMerxError, type SearchHit, type StoreClient } from '@merx/sdk';
import { type Intent, parseUtterance } from './intents.js';
import { list, ordinalWord, pickVariant, say, sizesOf, toMinor, type VariantChoice } from './speech.js';

export interface ConversationOptions {
  /** Where the Merx API answers, e.g. http://localhost:4000 */
  baseUrl: string;
  /** The voice (or chat) channel's publishable key. */
  publishableKey: string;
  fetch?: (request: Request) => Promise<Response>;
}

/** One shopper's conversation: the last results, the cart, the session. */
export interface Conversation {
  store: StoreClient;
  channel: { name: string; currency: string; locale: string; headProfile: string } | null;
  results: SearchHit[];
  /** The product last talked about, for "add it". */
  focus: SearchHit | null;
  cartId: string | null;
  email: string | null;
  /** A checkout asked for an email first; the next email continues it. */
  checkoutWaitsForEmail: boolean;
}

export function createConversation(options: ConversationOptions): Conversation {
  return {
    store: createStoreClient({
      baseUrl: options.baseUrl,
      publishableKey: options.publishableKey,
      fetch: options.fetch,
    }),
    channel: null,
    results: [],
    focus: null,
    cartId: null,
    email: null,
    checkoutWaitsForEmail: false,
  };
}

export const HELP =
  'You can say: "find running shoes under 100", "tell me about the first one", "add the second one in size 42", ' +
  '"what\'s in my cart", "remove the first one", "check out", "sign in as <email> <password>", "sign out".';

async function channelOf(conversation: Conversation) {
  if (!conversation.channel) {
    const channel = await conversation.store.get('/store/v1/channel');
    conversation.channel = {
      name: channel.name,
      currency: channel.default_currency,
      locale: channel.locale,
      headProfile: channel.head_profile,
    };
  }
  return conversation.channel;
}

function describeCart(cart: Cart, locale: string): string {
  if (cart.lines.length === 0) return 'Your cart is empty.';
  const count = cart.lines.reduce((sum, line) => sum + line.quantity, 0);
  const lines = cart.lines.map(
    (line, index) =>
      `${index + 1}. ${line.product_title}${line.variant_title ? `, ${line.variant_title}` : ''}` +
      `${line.quantity > 1 ? ` × ${line.quantity}` : ''}, ${say(line.total, cart.currency, locale)}`,
  );
  return `Your cart has ${count} item${count === 1 ? '' : 's'}: ${lines.join('; ')}. Total ${say(cart.totals.total, cart.currency, locale)}.`;
}

/** The cart this conversation works on: its own, else the signed-in customer's from any channel. */
async function currentCart(conversation: Conversation): Promise<Cart | null> {
  const { store } = conversation;
  if (conversation.cartId) {
    const cart = await store.get('/store/v1/carts/{id}', { params: { path: { id: conversation.cartId } } });
    if (cart.status === 'active') return cart;
    conversation.cartId = null;
  }
  if (!store.signedIn) return null;
  try {
    const cart = await store.get('/store/v1/carts/current');
    conversation.cartId = cart.id;
    return cart;
  } catch (error) {
    if (isMerxError(error) && error.status === 404) return null;
    throw error;
  }
}

function resultAt(conversation: Conversation, item: number | null): SearchHit | null {
  if (item === null) return conversation.focus;
  const index = item === -1 ? conversation.results.length - 1 : item - 1;
  return conversation.results[index] ?? null;
}

async function search(conversation: Conversation, intent: Extract<Intent, { kind: 'search' }>) {
  const channel = await channelOf(conversation);
  const result = await conversation.store.get('/store/v1/search', {
    params: {
      query: {
        q: intent.query,
        limit: 5,
        in_stock: true,
        facets: false,
        ...(intent.maxPrice === null ? {} : { price_max: toMinor(intent.maxPrice, channel.currency) }),
        ...(intent.minPrice === null ? {} : { price_min: toMinor(intent.minPrice, channel.currency) }),
      },
    },
  });
  conversation.results = result.data;
  conversation.focus = result.data[0] ?? null;
  const price =
    intent.maxPrice === null
      ? ''
      : ` under ${say(toMinor(intent.maxPrice, channel.currency), channel.currency, channel.locale)}`;
  if (result.data.length === 0) return `I found no ${intent.query}${price} in stock.`;
  const items = result.data.map((hit, index) => {
    const range = hit.price_range;
    const cost = range
      ? `${range.min === range.max ? '' : 'from '}${say(range.min, range.currency, channel.locale)}`
      : 'no price';
    return `${index + 1}. ${hit.title}, ${cost}`;
  });
  const more =
    result.total > result.data.length ? ` (the first ${result.data.length} of ${result.total})` : '';
  return `Here are ${intent.query}${price}${more}: ${items.join('; ')}.`;
}

async function describe(conversation: Conversation, item: number) {
  const hit = resultAt(conversation, item);
  if (!hit) return `There is no ${ordinalWord(item)} result. Search for something first.`;
  conversation.focus = hit;
  const product = (await conversation.store.get('/store/v1/products/{idOrHandle}', {
    params: { path: { idOrHandle: hit.id } },
  })) as unknown as {
    spoken_description?: string;
    short_description?: string;
    description?: string;
    variants: VariantChoice[];
  };
  const sizes = sizesOf(product.variants);
  // Each head profile words it differently: speakable says it all, compact and full need the title.
  const text =
    product.spoken_description ??
    `${hit.title}. ${product.short_description ?? product.description ?? ''}`.trim();
  return sizes.length > 1 ? `${text} Sizes: ${list(sizes)}.` : text;
}

async function add(conversation: Conversation, intent: Extract<Intent, { kind: 'add' }>) {
  const hit = resultAt(conversation, intent.item);
  if (!hit)
    return intent.item === null
      ? 'Which one? Search first, then say for example "add the first one".'
      : `There is no ${ordinalWord(intent.item)} result.`;
  conversation.focus = hit;
  const { locale } = await channelOf(conversation);
  // Whatever the channel's head profile gives (full, compact or speakable), variants carry an id and a title.
  const product = (await conversation.store.get('/store/v1/products/{idOrHandle}', {
    params: { path: { idOrHandle: hit.id } },
  })) as unknown as { title: string; variants: VariantChoice[] };
  const choice = pickVariant(product.variants, intent.size);
  if ('ask' in choice) return `Which size of the ${product.title}? ${list(choice.ask)}.`;
  if ('missing' in choice)
    return `I can't offer the ${product.title} in size ${intent.size} here. ${
      choice.missing.length ? `Sizes I can offer: ${list(choice.missing)}.` : ''
    }`.trim();
  const line = { variant_id: choice.variant.id, quantity: intent.quantity };
  const existing = await currentCart(conversation);
  const cart = existing
    ? await conversation.store.post('/store/v1/carts/{id}/lines', {
        params: { path: { id: existing.id } },
        body: line,
      })
    : await conversation.store.post('/store/v1/carts', {
        body: { lines: [line], ...(conversation.email ? { email: conversation.email } : {}) },
      });
  conversation.cartId = cart.id;
  const size = intent.size ? `, size ${intent.size}` : '';
  const count = cart.lines.reduce((sum, entry) => sum + entry.quantity, 0);
  return `Added ${intent.quantity > 1 ? `${intent.quantity} × ` : ''}${product.title}${size}. Your cart has ${count} item${
    count === 1 ? '' : 's'
  }, ${say(cart.totals.total, cart.currency, locale)} in total.`;
}

async function remove(conversation: Conversation, item: number) {
  const cart = await currentCart(conversation);
  const line = cart && (item === -1 ? cart.lines.at(-1) : cart.lines[item - 1]);
  if (!cart || !line) return `There is no ${ordinalWord(item)} item in your cart.`;
  const updated = await conversation.store.delete('/store/v1/carts/{id}/lines/{line_id}', {
    params: { path: { id: cart.id, line_id: line.id } },
  });
  return `Removed ${line.product_title}. ${describeCart(updated, (await channelOf(conversation)).locale)}`;
}

async function checkout(conversation: Conversation) {
  const { locale } = await channelOf(conversation);
  const cart = await currentCart(conversation);
  if (!cart || cart.lines.length === 0) return 'Your cart is empty: add something first.';
  const email = cart.email ?? conversation.email;
  if (!email) {
    conversation.checkoutWaitsForEmail = true;
    return 'Where should the receipt go? Say "my email is …".';
  }
  conversation.checkoutWaitsForEmail = false;
  const result = await conversation.store.post('/store/v1/carts/{id}/checkout', {
    params: { path: { id: cart.id } },
    // The test payment provider's card: a voice channel has a card on file with its platform.
    body: { payment: { provider: 'test', token: 'tok_visa' }, ...(cart.email ? {} : { email }) },
  });
  conversation.cartId = null;
  const { order } = result;
  return `Order number ${order.number} is placed: ${say(order.total, order.currency, locale)} with the card on file. A receipt goes to ${email}.`;
}

async function signIn(conversation: Conversation, email: string, password: string) {
  const { store } = conversation;
  const guestCart = store.signedIn ? null : conversation.cartId;
  const login = await store.login(email, password, guestCart ? { cartId: guestCart } : {});
  conversation.email = login.customer.email;
  conversation.cartId = null;
  const cart = await currentCart(conversation);
  const name = login.customer.first_name ?? login.customer.email;
  const { locale } = await channelOf(conversation);
  return `Welcome back, ${name}. ${cart ? describeCart(cart, locale) : 'You have no open cart.'}`;
}

async function respond(conversation: Conversation, intent: Intent): Promise<string> {
  switch (intent.kind) {
    case 'search':
      return search(conversation, intent);
    case 'describe':
      return describe(conversation, intent.item);
    case 'add':
      return add(conversation, intent);
    case 'remove':
      return remove(conversation, intent.item);
    case 'cart': {
      const cart = await currentCart(conversation);
      return cart ? describeCart(cart, (await channelOf(conversation)).locale) : 'Your cart is empty.';
    }
    case 'checkout':
      return checkout(conversation);
    case 'email': {
      conversation.email = intent.email;
      return conversation.checkoutWaitsForEmail
        ? checkout(conversation)
        : `I'll send receipts to ${intent.email}.`;
    }
    case 'sign_in':
      return signIn(conversation, intent.email, intent.password);
    case 'sign_out':
      await conversation.store.logout();
      conversation.cartId = null;
      conversation.email = null;
      return 'You are signed out.';
    case 'help':
      return HELP;
    case 'unknown':
      return `Sorry, I didn't get "${intent.text}". ${HELP}`;
  }
}

/**
 * One turn of the conversation: what the shopper said in, what the head answers out.
 * API refusals are said, not thrown: a voice channel must always answer.
 */
export async function handleUtterance(conversation: Conversation, utterance: string): Promise<string> {
  try {
    return await respond(conversation, parseUtterance(utterance));
  } catch (error) {
    if (isMerxError(error)) {
      if (error.code === 'invalid_credentials') return 'That email and password do not match an account.';
      if (error.code === 'payment_declined') return 'The card was declined. Nothing was charged.';
      if (error.status === 0) return 'I cannot reach the shop right now. Please try again in a moment.';
      return `Sorry, that did not work: ${error.detail}`;
    }
    throw error;
  }
}
