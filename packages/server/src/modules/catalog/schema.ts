import { Type } from 'typebox';
import { Currency, MinorUnits, Timestamp } from '../../http/schemas.js';
import { PriceCreate } from '../pricing/schema.js';

export const Handle = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  description: 'URL-safe unique name: lowercase letters, digits and single hyphens',
  examples: ['linen-shirt'],
});

export const ProductStatus = Type.Union(
  [Type.Literal('draft'), Type.Literal('published'), Type.Literal('archived')],
  { description: 'Only published products are visible in the store' },
);

const Attributes = Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), {
  description: 'Free-form product attributes (material, brand, …)',
});

const MediaInput = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048, format: 'uri' }),
    alt: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  },
  { additionalProperties: false },
);
const Media = Type.Object({ url: Type.String(), alt: Type.Union([Type.String(), Type.Null()]) });

const OptionName = Type.String({ minLength: 1, maxLength: 100 });
const OptionValue = Type.String({ minLength: 1, maxLength: 100 });
const OptionValues = Type.Record(OptionName, OptionValue, {
  description: 'The variant’s value for each of the product’s options',
  examples: [{ Size: 'M', Color: 'Blue' }],
});
const Ids = (description: string) =>
  Type.Array(Type.String({ minLength: 3, maxLength: 64 }), {
    maxItems: 1000,
    uniqueItems: true,
    description,
  });

export const OptionCreate = Type.Object(
  {
    name: OptionName,
    values: Type.Array(OptionValue, { maxItems: 200, uniqueItems: true }),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false, examples: [{ name: 'Size', values: ['S', 'M', 'L'] }] },
);
export const OptionUpdate = Type.Partial(OptionCreate, { additionalProperties: false, minProperties: 1 });

const variantFields = {
  sku: Type.String({ minLength: 1, maxLength: 100, description: 'Unique stock-keeping unit' }),
  title: Type.Optional(Type.String({ maxLength: 500 })),
  options: Type.Optional(OptionValues),
  barcode: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
  weight_grams: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100_000_000 }), Type.Null()])),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
};

export const VariantCreate = Type.Object(
  {
    ...variantFields,
    prices: Type.Optional(Type.Array(PriceCreate, { maxItems: 200 })),
  },
  {
    additionalProperties: false,
    examples: [
      { sku: 'SHIRT-M', title: 'M', options: { Size: 'M' }, prices: [{ currency: 'EUR', amount: 4900 }] },
    ],
  },
);
export const VariantUpdate = Type.Partial(Type.Object(variantFields), {
  additionalProperties: false,
  minProperties: 1,
});

const productFields = {
  handle: Handle,
  title: Type.String({ minLength: 1, maxLength: 500 }),
  description: Type.Optional(Type.String({ maxLength: 50_000 })),
  status: Type.Optional(ProductStatus),
  attributes: Type.Optional(Attributes),
  media: Type.Optional(Type.Array(MediaInput, { maxItems: 100 })),
  category_ids: Type.Optional(Ids('Categories the product belongs to (replaces the list on update)')),
  collection_ids: Type.Optional(Ids('Collections the product belongs to (replaces the list on update)')),
  channel_ids: Type.Optional(
    Ids('Channels whose assortment includes the product (replaces the list on update)'),
  ),
};

export const ProductCreate = Type.Object(
  {
    ...productFields,
    options: Type.Optional(Type.Array(OptionCreate, { maxItems: 10 })),
    variants: Type.Optional(Type.Array(VariantCreate, { maxItems: 500 })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        handle: 'linen-shirt',
        title: 'Linen shirt',
        status: 'published',
        options: [{ name: 'Size', values: ['S', 'M'] }],
        variants: [{ sku: 'LINEN-S', options: { Size: 'S' }, prices: [{ currency: 'EUR', amount: 4900 }] }],
      },
    ],
  },
);
export const ProductUpdate = Type.Partial(Type.Object(productFields), {
  additionalProperties: false,
  minProperties: 1,
});

const Option = Type.Object({
  id: Type.String(),
  name: Type.String(),
  values: Type.Array(Type.String()),
  position: Type.Integer(),
});

export const Variant = Type.Object(
  {
    id: Type.String(),
    product_id: Type.String(),
    sku: Type.String(),
    title: Type.String(),
    options: Type.Record(Type.String(), Type.String()),
    barcode: Type.Union([Type.String(), Type.Null()]),
    weight_grams: Type.Union([Type.Integer(), Type.Null()]),
    position: Type.Integer(),
    version: Type.Integer(),
    prices: Type.Array(Type.Ref('Price')),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Variant' },
);

export const Product = Type.Object(
  {
    id: Type.String(),
    handle: Type.String(),
    title: Type.String(),
    description: Type.String(),
    status: ProductStatus,
    attributes: Type.Record(Type.String(), Type.Unknown()),
    media: Type.Array(Media),
    options: Type.Array(Option),
    variants: Type.Array(Type.Ref('Variant')),
    category_ids: Type.Array(Type.String()),
    collection_ids: Type.Array(Type.String()),
    channel_ids: Type.Array(Type.String()),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Product' },
);

export const CategoryCreate = Type.Object(
  {
    handle: Handle,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    parent_id: Type.Optional(Type.Union([Type.String({ minLength: 3, maxLength: 64 }), Type.Null()])),
    position: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100_000, description: 'Order among siblings' }),
    ),
  },
  { additionalProperties: false, examples: [{ handle: 'shirts', name: 'Shirts', parent_id: null }] },
);
export const CategoryUpdate = Type.Partial(CategoryCreate, { additionalProperties: false, minProperties: 1 });

export const Category = Type.Object(
  {
    id: Type.String(),
    parent_id: Type.Union([Type.String(), Type.Null()]),
    handle: Type.String(),
    name: Type.String(),
    description: Type.String(),
    position: Type.Integer(),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Category' },
);

export const CollectionCreate = Type.Object(
  {
    handle: Handle,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
  },
  { additionalProperties: false, examples: [{ handle: 'summer', title: 'Summer' }] },
);
export const CollectionUpdate = Type.Partial(CollectionCreate, {
  additionalProperties: false,
  minProperties: 1,
});

export const Collection = Type.Object(
  {
    id: Type.String(),
    handle: Type.String(),
    title: Type.String(),
    description: Type.String(),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Collection' },
);

export const AssortmentChange = Type.Object(
  {
    add: Type.Optional(Ids('Products to add to the channel')),
    remove: Type.Optional(Ids('Products to remove from the channel')),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ add: ['prod_01jd8x2k3m4n5p6q7r8s9t0v1w'] }] },
);

// ---- Store (channel) view ----

const StorePrice = Type.Union([Type.Object({ amount: MinorUnits, currency: Currency }), Type.Null()], {
  description: 'What the shopper pays for one unit in this channel and currency; null when unpriced',
});

export const Availability = Type.Object(
  {
    tracked: Type.Boolean({ description: 'False when stock is not counted: sold without limit' }),
    available: Type.Union([Type.Integer(), Type.Null()], {
      description: 'Units that can be sold now; null when untracked',
    }),
    allow_backorder: Type.Boolean({ description: 'Orders are accepted beyond stock' }),
    in_stock: Type.Boolean({ description: 'One more unit can be sold in this channel now' }),
  },
  { description: 'Stock in the locations that serve this channel' },
);

const storeVariantFields = {
  id: Type.String(),
  sku: Type.String(),
  title: Type.String(),
  options: Type.Record(Type.String(), Type.String()),
  weight_grams: Type.Union([Type.Integer(), Type.Null()]),
  price: StorePrice,
};

const storeProductFields = {
  id: Type.String(),
  handle: Type.String(),
  title: Type.String(),
  description: Type.String(),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  media: Type.Array(Media),
  options: Type.Array(Type.Object({ name: Type.String(), values: Type.Array(Type.String()) })),
  price_range: Type.Union(
    [Type.Object({ currency: Currency, min: MinorUnits, max: MinorUnits }), Type.Null()],
    {
      description: 'Lowest and highest variant price in the requested currency',
    },
  ),
  created_at: Timestamp,
};

export const StoreProductSummary = Type.Object(
  { ...storeProductFields, variants: Type.Array(Type.Object(storeVariantFields)) },
  { $id: 'StoreProductSummary' },
);

export const StoreProduct = Type.Object(
  {
    ...storeProductFields,
    category_ids: Type.Array(Type.String()),
    collection_ids: Type.Array(Type.String()),
    variants: Type.Array(
      Type.Object({
        ...storeVariantFields,
        barcode: Type.Union([Type.String(), Type.Null()]),
        availability: Type.Union([Availability, Type.Null()]),
      }),
    ),
  },
  { $id: 'StoreProduct' },
);

export const StoreSort = Type.Union(
  [
    Type.Literal('newest'),
    Type.Literal('price_asc'),
    Type.Literal('price_desc'),
    Type.Literal('title'),
    Type.Literal('personalised'),
  ],
  {
    default: 'newest',
    description: 'newest first, by price (unpriced last), by title, or newest re-ranked for this shopper',
  },
);

export const StoreCategory = Type.Object(
  {
    id: Type.String(),
    handle: Type.String(),
    name: Type.String(),
    description: Type.String(),
    position: Type.Integer(),
    children: Type.Array(Type.Ref('StoreCategory')),
  },
  { $id: 'StoreCategory' },
);

export const StoreCollection = Type.Object(
  { id: Type.String(), handle: Type.String(), title: Type.String(), description: Type.String() },
  { $id: 'StoreCollection' },
);
