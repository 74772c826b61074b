import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from './problem.js';

export type HeadProfile = 'full' | 'compact' | 'speakable';
/** Which response kinds a route returns, so the right shaper applies. */
export type HeadShape = 'product' | 'product_list' | 'cart';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Store responses of this kind honour the channel's head profile (and `fields=`). */
    headShape?: HeadShape;
  }
}

type Json = Record<string, unknown>;

interface ProductLike {
  id: string;
  handle: string;
  title: string;
  description: string;
  media: Array<{ url: string; alt: string | null }>;
  price_range: { currency: string; min: number; max: number } | null;
  variants: Array<{
    id: string;
    title: string;
    price: { amount: number; currency: string } | null;
    availability?: { available: number | null; tracked: boolean; in_stock?: boolean } | null;
  }>;
}

interface CartLike {
  id: string;
  status: string;
  currency: string;
  version: number;
  lines: Array<{
    id: string;
    variant_id: string;
    product_title: string | null;
    variant_title: string | null;
    quantity: number;
    unit_price: number | null;
    total: number;
    image_url?: string | null;
  }>;
  totals: { total: number };
}

const SHORT_DESCRIPTION = 160;
const SPOKEN_DESCRIPTION = 250;

/** Markup and whitespace out: what a voice or a watch can show or say. */
export function plainText(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/[*_`#>[\]]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,;:!?])/g, '$1')
    .trim();
}

/** At most `max` characters, cut at a sentence or word boundary. */
export function shorten(text: string, max: number): string {
  const plain = plainText(text);
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  const sentence = cut.lastIndexOf('. ');
  if (sentence > max / 2) return cut.slice(0, sentence + 1);
  const word = cut.lastIndexOf(' ');
  return `${cut.slice(0, word > 0 ? word : max - 1).replace(/[,;:]$/, '')}…`;
}

/** "€19.99" for 1999 EUR in the channel's locale (minor units by the currency's digits). */
export function spokenPrice(amount: number, currency: string, locale = 'en'): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

const fromPrice = (product: ProductLike) =>
  product.price_range ? { amount: product.price_range.min, currency: product.price_range.currency } : null;

/** Watch / small-screen product: a few fields, one image, a short description. */
export function compactProduct(product: ProductLike) {
  return {
    id: product.id,
    handle: product.handle,
    title: product.title,
    short_description: shorten(product.description, SHORT_DESCRIPTION),
    image: product.media[0]?.url ?? null,
    price: fromPrice(product),
    variants: product.variants.map((variant) => ({
      id: variant.id,
      title: variant.title,
      price: variant.price,
      ...(variant.availability === undefined
        ? {}
        : { in_stock: variant.availability === null || variant.availability.in_stock !== false }),
    })),
  };
}

/**
 * Voice product: what to say, plus every variant as a bare choice (id, title, price, stock)
 * so "the second one in size 42" can be resolved; the spoken text stays short.
 */
export function speakableProduct(product: ProductLike, locale = 'en') {
  const price = fromPrice(product);
  const from =
    price && product.price_range && product.price_range.min !== product.price_range.max ? 'from ' : '';
  const spokenPriceText = price
    ? ` It costs ${from}${spokenPrice(price.amount, price.currency, locale)}.`
    : '';
  const body = shorten(
    product.description,
    SPOKEN_DESCRIPTION - product.title.length - spokenPriceText.length - 2,
  );
  return {
    id: product.id,
    title: product.title,
    spoken_description: `${product.title}.${body ? ` ${body}` : ''}${spokenPriceText}`.trim(),
    price,
    image: product.media[0]?.url ?? null,
    variants: product.variants.map((variant) => ({
      id: variant.id,
      title: variant.title,
      price: variant.price,
      ...(variant.availability === undefined
        ? {}
        : { in_stock: variant.availability === null || variant.availability.in_stock !== false }),
    })),
  };
}

/** Small-screen cart: lines and the total, nothing a watch cannot show. */
export function compactCart(cart: CartLike) {
  return {
    id: cart.id,
    status: cart.status,
    currency: cart.currency,
    version: cart.version,
    item_count: cart.lines.reduce((sum, line) => sum + line.quantity, 0),
    lines: cart.lines.map((line) => ({
      id: line.id,
      variant_id: line.variant_id,
      title: [line.product_title, line.variant_title].filter(Boolean).join(' – '),
      quantity: line.quantity,
      unit_price: line.unit_price,
      total: line.total,
    })),
    total: cart.totals.total,
  };
}

export function speakableCart(cart: CartLike, locale = 'en') {
  const compact = compactCart(cart);
  const items = compact.item_count === 1 ? '1 item' : `${compact.item_count} items`;
  return {
    ...compact,
    spoken_summary:
      compact.item_count === 0
        ? 'Your cart is empty.'
        : `Your cart has ${items}, ${spokenPrice(cart.totals.total, cart.currency, locale)} in total.`,
  };
}

const mapData = (page: Json, shape: (item: never) => unknown) => ({
  ...page,
  data: (page.data as unknown[]).map((item) => shape(item as never)),
});

/** The response for a head profile; `full` (and unknown kinds) unchanged. */
export function shapeForHead(kind: HeadShape, body: unknown, profile: HeadProfile, locale = 'en'): unknown {
  if (profile === 'full') return body;
  const speak = profile === 'speakable';
  switch (kind) {
    case 'product':
      return speak ? speakableProduct(body as ProductLike, locale) : compactProduct(body as ProductLike);
    case 'product_list':
      return mapData(body as Json, (item: ProductLike) =>
        speak ? speakableProduct(item, locale) : compactProduct(item),
      );
    case 'cart':
      return speak ? speakableCart(body as CartLike, locale) : compactCart(body as CartLike);
  }
}

const FIELD_PATH = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;

export const FieldsQuery = Type.String({
  pattern: '^[a-z_][a-z0-9_.]*(,[a-z_][a-z0-9_.]*)*$',
  maxLength: 500,
  description:
    'Narrow the response to these fields (comma-separated, dots for nested ones: `id,title,variants.price`). ' +
    'Applies to each item of a list. Combines with the channel’s head profile (compact, speakable).',
  examples: ['id,title,price'],
});

export function parseFields(raw: string): string[][] {
  const paths = raw.split(',').filter(Boolean);
  const bad = paths.find((path) => !FIELD_PATH.test(path));
  if (bad) {
    throw new ApiError(400, 'invalid_request', `fields: "${bad}" is not a field path`, {
      errors: [{ field: '/querystring/fields', message: 'is not a comma-separated list of field paths' }],
    });
  }
  return paths.map((path) => path.split('.'));
}

/** Keeps only the listed paths; arrays are narrowed element by element; list pages inside `data`. */
export function narrowFields(value: unknown, paths: string[][]): unknown {
  if (Array.isArray(value)) return value.map((item) => narrowFields(item, paths));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Json;
  if (Array.isArray(object.data) && 'has_more' in object) {
    return { ...object, data: narrowFields(object.data, paths) };
  }
  const out: Json = {};
  const nested = new Map<string, string[][]>();
  for (const [head, ...rest] of paths) {
    if (!(head in object)) continue;
    if (rest.length === 0) out[head] = object[head];
    else nested.set(head, [...(nested.get(head) ?? []), rest]);
  }
  for (const [head, rest] of nested) if (!(head in out)) out[head] = narrowFields(object[head], rest);
  return out;
}

/**
 * Store responses follow the calling channel's head profile (a route opts in with
 * `config: { headShape }`) and `?fields=` (a route opts in by accepting `fields` in its
 * querystring, see `FieldsQuery`). Runs before serialization, so ETags cover the shaped body;
 * a shaped body no longer matches the route's full schema, so it is serialized as plain JSON.
 */
export function registerHeadShaping(app: FastifyInstance): void {
  app.addHook('preSerialization', async (request, reply, payload) => {
    if (reply.statusCode >= 300 || payload === null || typeof payload !== 'object') return payload;
    const kind = request.routeOptions.config?.headShape;
    const fields = (request.query as { fields?: unknown } | undefined)?.fields;
    const channel = request.channel;
    let shaped: unknown = payload;
    if (kind && channel && channel.headProfile !== 'full') {
      shaped = shapeForHead(kind, shaped, channel.headProfile, channel.locale);
    }
    if (typeof fields === 'string' && fields.length > 0) shaped = narrowFields(shaped, parseFields(fields));
    if (shaped === payload) return payload;
    reply.serializer(JSON.stringify);
    return shaped;
  });
}
