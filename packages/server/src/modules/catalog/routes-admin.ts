import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion } from '../../http/concurrency.js';
import { errorResponses, IdParam, IfMatchHeaders, Page, PageQuery } from '../../http/schemas.js';
import { Price } from '../pricing/schema.js';
import { changeAssortment, listChannelProductIds } from './assortment.js';
import { createProduct, deleteProduct, getProduct, listProducts, updateProduct } from './products.js';
import {
  AssortmentChange,
  Category,
  CategoryCreate,
  CategoryUpdate,
  Collection,
  CollectionCreate,
  CollectionUpdate,
  OptionCreate,
  OptionUpdate,
  Product,
  ProductCreate,
  ProductStatus,
  ProductUpdate,
  Variant,
  VariantCreate,
  VariantUpdate,
} from './schema.js';
import {
  createCategory,
  createCollection,
  deleteCategory,
  deleteCollection,
  getCategory,
  getCollection,
  listCategories,
  listCollections,
  presentCategory,
  presentCollection,
  updateCategory,
  updateCollection,
} from './taxonomy.js';
import {
  createOption,
  createVariant,
  deleteOption,
  deleteVariant,
  getVariant,
  updateOption,
  updateVariant,
} from './variants.js';

const ProductRef = Type.Ref('Product');
const VariantRef = Type.Ref('Variant');
const CategoryRef = Type.Ref('Category');
const CollectionRef = Type.Ref('Collection');
const OptionSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  values: Type.Array(Type.String()),
  position: Type.Integer(),
});
const ProductOptionParams = Type.Object({
  id: Type.String({ minLength: 3, maxLength: 64 }),
  optionId: Type.String({ minLength: 3, maxLength: 64 }),
});
const read = { scope: 'catalog:read' };
const write = { scope: 'catalog:write' };
const tags = ['Catalog'];

export const catalogAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Price);
  app.addSchema(Variant);
  app.addSchema(Product);
  app.addSchema(Category);
  app.addSchema(Collection);
  const db = app.merx.db;

  app.get(
    '/products',
    {
      config: read,
      schema: {
        tags,
        summary: 'List products',
        description:
          'Every product whatever its status, newest first, with options, variants and prices. `category_id` includes subcategories; `q` matches title or handle.',
        querystring: Type.Object(
          {
            ...PageQuery,
            status: Type.Optional(ProductStatus),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            category_id: Type.Optional(Type.String({ minLength: 3, maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(ProductRef), ...errorResponses() },
      },
    },
    async (request) => listProducts(db, request.query),
  );

  app.post(
    '/products',
    {
      config: write,
      schema: {
        tags,
        summary: 'Create a product',
        description:
          'Creates a product with its options, variants (and their prices), categories, collections and channels in one transaction. A SKU or handle already in use is 409; an unknown category, collection or channel is 422.',
        body: ProductCreate,
        response: { 201: ProductRef, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await createProduct(db, request.body)),
  );

  app.get(
    '/products/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'Get a product',
        description:
          'The product with its options, variants and every price, and the categories, collections and channels it belongs to.',
        params: IdParam('prod'),
        response: { 200: ProductRef, ...errorResponses(404) },
      },
    },
    async (request) => getProduct(db, request.params.id),
  );

  app.patch(
    '/products/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Update a product',
        description:
          'Changes the given fields; `category_ids`, `collection_ids` and `channel_ids` replace the lists. Send `If-Match: <version>` to refuse a stale write (409 with the current product).',
        params: IdParam('prod'),
        headers: IfMatchHeaders,
        body: ProductUpdate,
        response: { 200: ProductRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) => updateProduct(db, request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/products/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete a product',
        description: 'Deletes the product with its options, variants and prices.',
        params: IdParam('prod'),
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await deleteProduct(db, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/products/:id/options',
    {
      config: write,
      schema: {
        tags,
        summary: 'Add an option to a product',
        description:
          'Options (Size, Color, …) must exist before the variants that use them: a product that already has variants answers 409.',
        params: IdParam('prod'),
        body: OptionCreate,
        response: { 201: OptionSchema, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await createOption(db, request.params.id, request.body)),
  );

  app.patch(
    '/products/:id/options/:optionId',
    {
      config: write,
      schema: {
        tags,
        summary: 'Update an option',
        description:
          'Renaming an option renames it in every variant; removing a value that a variant uses is 409.',
        params: ProductOptionParams,
        body: OptionUpdate,
        response: { 200: OptionSchema, ...errorResponses(404, 409) },
      },
    },
    async (request) => updateOption(db, request.params.id, request.params.optionId, request.body),
  );

  app.delete(
    '/products/:id/options/:optionId',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete an option',
        description: 'Also removes the option’s value from every variant of the product.',
        params: ProductOptionParams,
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await deleteOption(db, request.params.id, request.params.optionId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/products/:id/variants',
    {
      config: write,
      schema: {
        tags,
        summary: 'Add a variant',
        description:
          'Its option values must use the product’s options and differ from every sibling’s. A SKU in use is 409.',
        params: IdParam('prod'),
        body: VariantCreate,
        response: { 201: VariantRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createVariant(db, request.params.id, request.body)),
  );

  app.get(
    '/variants/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'Get a variant',
        description: 'With all of its prices.',
        params: IdParam('var'),
        response: { 200: VariantRef, ...errorResponses(404) },
      },
    },
    async (request) => getVariant(db, request.params.id),
  );

  app.patch(
    '/variants/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Update a variant',
        description: 'Prices have their own endpoints. Send `If-Match: <version>` to refuse a stale write.',
        params: IdParam('var'),
        headers: IfMatchHeaders,
        body: VariantUpdate,
        response: { 200: VariantRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) => updateVariant(db, request.params.id, request.body, expectedVersion(request)),
  );

  app.delete(
    '/variants/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete a variant',
        description: 'Deletes the variant and its prices.',
        params: IdParam('var'),
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await deleteVariant(db, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/categories',
    {
      config: read,
      schema: {
        tags,
        summary: 'List categories',
        description: 'Every category as a flat list ordered by position; `parent_id` gives the tree.',
        response: { 200: Type.Object({ data: Type.Array(CategoryRef) }), ...errorResponses() },
      },
    },
    async () => ({ data: (await listCategories(db)).map(presentCategory) }),
  );

  app.post(
    '/categories',
    {
      config: write,
      schema: {
        tags,
        summary: 'Create a category',
        description: 'A root category, or a child when `parent_id` is given. A handle in use is 409.',
        body: CategoryCreate,
        response: { 201: CategoryRef, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(presentCategory(await createCategory(db, request.body))),
  );

  app.get(
    '/categories/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'Get a category',
        description: 'One category; `parent_id` places it in the tree.',
        params: IdParam('pcat'),
        response: { 200: CategoryRef, ...errorResponses(404) },
      },
    },
    async (request) => presentCategory(await getCategory(db, request.params.id)),
  );

  app.patch(
    '/categories/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Update a category',
        description:
          'Moving a category under itself or one of its descendants is 422. Send `If-Match: <version>` to refuse a stale write.',
        params: IdParam('pcat'),
        headers: IfMatchHeaders,
        body: CategoryUpdate,
        response: { 200: CategoryRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      presentCategory(await updateCategory(db, request.params.id, request.body, expectedVersion(request))),
  );

  app.delete(
    '/categories/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete a category',
        description: 'Refused (409) while it has subcategories; products simply leave it.',
        params: IdParam('pcat'),
        response: { 204: Type.Null(), ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      await deleteCategory(db, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/collections',
    {
      config: read,
      schema: {
        tags,
        summary: 'List collections',
        description: 'Every collection, by title.',
        response: { 200: Type.Object({ data: Type.Array(CollectionRef) }), ...errorResponses() },
      },
    },
    async () => ({ data: (await listCollections(db)).map(presentCollection) }),
  );

  app.post(
    '/collections',
    {
      config: write,
      schema: {
        tags,
        summary: 'Create a collection',
        description: 'A merchandising group (Summer, Gifts, …). A handle in use is 409.',
        body: CollectionCreate,
        response: { 201: CollectionRef, ...errorResponses(409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentCollection(await createCollection(db, request.body))),
  );

  app.get(
    '/collections/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'Get a collection',
        description: 'One collection.',
        params: IdParam('pcol'),
        response: { 200: CollectionRef, ...errorResponses(404) },
      },
    },
    async (request) => presentCollection(await getCollection(db, request.params.id)),
  );

  app.patch(
    '/collections/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Update a collection',
        description: 'Send `If-Match: <version>` to refuse a stale write.',
        params: IdParam('pcol'),
        headers: IfMatchHeaders,
        body: CollectionUpdate,
        response: { 200: CollectionRef, ...errorResponses(404, 409) },
      },
    },
    async (request) =>
      presentCollection(
        await updateCollection(db, request.params.id, request.body, expectedVersion(request)),
      ),
  );

  app.delete(
    '/collections/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete a collection',
        description: 'Products simply leave it.',
        params: IdParam('pcol'),
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await deleteCollection(db, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/channels/:id/products',
    {
      config: read,
      schema: {
        tags,
        summary: 'List a channel’s assortment',
        description: 'IDs of the products the channel sells (whatever their status), in ID order.',
        params: IdParam('chan'),
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(Type.String()), ...errorResponses(404) },
      },
    },
    async (request) => listChannelProductIds(db, request.params.id, request.query),
  );

  app.put(
    '/channels/:id/products',
    {
      config: write,
      schema: {
        tags,
        summary: 'Change a channel’s assortment',
        description:
          'Adds and removes products; adding one already there or removing one absent changes nothing. Only published products in the assortment are visible to the channel.',
        params: IdParam('chan'),
        body: AssortmentChange,
        response: {
          200: Type.Object({ added: Type.Integer(), removed: Type.Integer() }),
          ...errorResponses(404, 422),
        },
      },
    },
    async (request) => changeAssortment(db, request.params.id, request.body),
  );
};
