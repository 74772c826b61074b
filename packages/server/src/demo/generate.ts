import { CATEGORY_TREE, type Leaf, type LeafTemplate, leavesOf, MODEL_NAMES } from './catalog-data.js';
import { createRandom, deriveSeed, type Random } from './prng.js';

/** One product in the JSON Lines import format (the catalog's `importProducts` input). */
export interface ProductRecord {
  handle: string;
  title: string;
  description: string;
  status: 'draft' | 'published' | 'archived';
  attributes: Record<string, unknown>;
  media: Array<{ url: string; alt: string }>;
  categories: string[];
  collections: string[];
  channels: string[];
  options: Array<{ name: string; values: string[] }>;
  variants: Array<{
    sku: string;
    title: string;
    options: Record<string, string>;
    barcode: string;
    weight_grams: number;
    prices: Array<{ currency: string; amount: number; channel_id?: string }>;
  }>;
}

/** The IDs of the three demo channels; records list the channels whose assortment holds them. */
export interface DemoChannelIds {
  web: string;
  mobile: string;
  voice: string;
}

export interface GenerateOptions {
  products: number;
  channels: DemoChannelIds;
  /** Same seed, same catalog. */
  seed?: number;
}

export const DEFAULT_SEED = 20_240_601;
/** The first products are fixed showcases the demos rely on (see SHOWCASES). */
const SHOWCASES: Array<{ leaf: string; maxEur: number }> = [
  ...Array.from({ length: 8 }, () => ({ leaf: 'running-shoes', maxEur: 95 })),
  ...Array.from({ length: 6 }, () => ({ leaf: 'crew-neck-t-shirts', maxEur: 40 })),
  ...Array.from({ length: 2 }, () => ({ leaf: 'headphones', maxEur: 300 })),
];

const LEAVES = leavesOf(CATEGORY_TREE);
const TOTAL_WEIGHT = LEAVES.reduce((sum, leaf) => sum + (leaf.node.weight ?? 1), 0);
const SUMMER_SALE_ROOTS = new Set(['outdoor']);
const SUMMER_SALE_LEAVES = new Set(['running-shoes', 'crew-neck-t-shirts', 'graphic-t-shirts', 'sneakers']);

function pickLeaf(random: Random): Leaf {
  let ticket = random.next() * TOTAL_WEIGHT;
  for (const leaf of LEAVES) {
    ticket -= leaf.node.weight ?? 1;
    if (ticket < 0) return leaf;
  }
  return LEAVES[LEAVES.length - 1] as Leaf;
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A valid EAN-13 in the 20–29 "restricted circulation" range, so it never collides with a real product. */
export function ean13(sequence: number): string {
  const body = `20${String(sequence).padStart(10, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** Shop-style price endings: 79.99, 79.95 or 80.00, in minor units. */
function shopPrice(random: Random, whole: number): number {
  const ending = random.pick([1, 5, 0, 1]);
  return Math.max(99, whole * 100 - ending);
}

/** Converted prices are set by hand in a real shop; rounding to .99 imitates that. */
function convert(amount: number, rate: number): number {
  return Math.max(99, Math.round((amount * rate) / 100) * 100 - 1);
}

const code = (value: string, length: number) =>
  value
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, length)
    .toUpperCase();

function describe(
  template: LeafTemplate,
  random: Random,
  material: string,
  options: ProductRecord['options'],
) {
  const features = random.sample(template.features, random.int(2, 3));
  const last = features.pop();
  const list = features.length ? `${features.join(', ')} and ${last}` : last;
  const choices = options.map(({ name, values }) =>
    name === 'Size'
      ? `sizes ${values[0]} to ${values[values.length - 1]}`
      : values.length === 1
        ? `${values[0]}`.toLowerCase()
        : `${values.length} colours`,
  );
  const available = choices.length ? ` Available in ${choices.join(' and ')}.` : '';
  return `Made from ${material}, with ${list}.${available}`;
}

interface ProductPlan {
  index: number;
  leaf: Leaf;
  random: Random;
  maxEur?: number;
}

function planProduct(seed: number, index: number): ProductPlan {
  const random = createRandom(deriveSeed(seed, index));
  const showcase = SHOWCASES[index];
  if (showcase) {
    const leaf = LEAVES.find((candidate) => candidate.node.handle === showcase.leaf) as Leaf;
    return { index, leaf, random, maxEur: showcase.maxEur };
  }
  return { index, leaf: pickLeaf(random), random };
}

function buildRecord(plan: ProductPlan, channels: DemoChannelIds, usedHandles: Set<string>): ProductRecord {
  const { index, leaf, random } = plan;
  const template = leaf.node.template;
  const showcase = plan.maxEur !== undefined;
  const brand = random.pick(template.brands);
  const model = `${random.pick(MODEL_NAMES)}${random.chance(0.4) ? ` ${random.int(2, 9)}` : ''}`;
  const noun = random.pick(template.nouns);
  const title = `${brand} ${model} ${noun}`;
  let handle = slugify(title);
  if (usedHandles.has(handle)) handle = `${handle}-${index + 1}`;
  usedHandles.add(handle);
  const material = random.pick(template.materials);

  const colours = random.sample(
    template.colours,
    random.int(template.colourCount[0], template.colourCount[1]),
  );
  const sizes = template.sizes ?? [];
  const options = [
    ...(sizes.length ? [{ name: 'Size', values: [...sizes] }] : []),
    ...(colours.length ? [{ name: 'Colour', values: colours }] : []),
  ];

  const [minEur, maxEur] = template.priceEur;
  const baseEur = shopPrice(random, random.int(minEur, Math.min(maxEur, plan.maxEur ?? maxEur)));
  const hasGbp = random.chance(0.35);
  const inMobile = showcase || random.chance(0.7);
  const inVoice = showcase || random.chance(0.08);
  const appPrice = inMobile && random.chance(0.12);
  const [minWeight, maxWeight] = template.weightGrams;
  const weight = random.int(minWeight, maxWeight);

  const sizeAxis = sizes.length ? sizes : [null];
  const colourAxis = colours.length ? colours : [null];
  const variants: ProductRecord['variants'] = [];
  const productCode = `${code(brand, 3)}-${(index + 1).toString(36).toUpperCase().padStart(6, '0')}`;
  sizeAxis.forEach((size, sizeIndex) => {
    for (const colour of colourAxis) {
      const eur = Math.round(baseEur * (1 + (sizeIndex * (template.sizeSurchargePct ?? 0)) / 100));
      const prices: ProductRecord['variants'][number]['prices'] = [
        { currency: 'EUR', amount: eur },
        { currency: 'USD', amount: convert(eur, 1.09) },
      ];
      if (hasGbp) prices.push({ currency: 'GBP', amount: convert(eur, 0.86) });
      if (appPrice) prices.push({ currency: 'EUR', amount: convert(eur, 0.9), channel_id: channels.mobile });
      const variantOptions: Record<string, string> = {};
      if (size !== null) variantOptions.Size = size;
      if (colour !== null) variantOptions.Colour = colour;
      const parts = [size, colour].filter((part): part is string => part !== null);
      variants.push({
        sku: [productCode, ...parts.map((part) => code(part, 4))].join('-'),
        title: parts.length ? parts.join(' / ') : 'Default',
        options: variantOptions,
        barcode: ean13(index * 64 + variants.length),
        weight_grams: weight + sizeIndex * Math.round(weight * 0.03),
        prices,
      });
    }
  });

  const statusRoll = random.next();
  const status = showcase || statusRoll >= 0.06 ? 'published' : statusRoll < 0.04 ? 'draft' : 'archived';
  const collections: string[] = [];
  if (random.chance(0.05)) collections.push('new-arrivals');
  if (
    (SUMMER_SALE_ROOTS.has(leaf.path[0] as string) || SUMMER_SALE_LEAVES.has(leaf.node.handle)) &&
    random.chance(0.2)
  )
    collections.push('summer-sale');
  if (showcase || random.chance(0.04)) collections.push('bestsellers');

  const imageCount = random.int(1, 3);
  return {
    handle,
    title,
    description: describe(template, random, material, options),
    status,
    attributes: { brand, material, ...(colours.length ? { colour: colours[0] } : {}) },
    media: Array.from({ length: imageCount }, (_, n) => ({
      url: `https://picsum.photos/seed/${handle}-${n + 1}/800/800`,
      alt: `${title}, view ${n + 1}`,
    })),
    categories: [leaf.node.handle],
    collections,
    channels: [channels.web, ...(inMobile ? [channels.mobile] : []), ...(inVoice ? [channels.voice] : [])],
    options,
    variants,
  };
}

/**
 * The demo products, one by one: product i is the same whatever `products` is, so a
 * 100,000-product benchmark catalog starts with the 1,000-product demo. Streams, so a
 * large catalog never sits in memory whole.
 */
export function* generateProducts(options: GenerateOptions): Generator<ProductRecord> {
  const seed = options.seed ?? DEFAULT_SEED;
  const usedHandles = new Set<string>();
  for (let index = 0; index < options.products; index++) {
    yield buildRecord(planProduct(seed, index), options.channels, usedHandles);
  }
}
