import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion } from '../../http/concurrency.js';
import { errorResponses, IdParam, IfMatchHeaders, Page, PageQuery, Timestamp } from '../../http/schemas.js';
import { listSegmentCustomers, refreshSegment } from './membership.js';
import { Segment, SegmentCreate, SegmentMember, SegmentRefresh, SegmentUpdate } from './schema.js';
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  presentSegment,
  updateSegment,
} from './service.js';

const SegmentRef = Type.Ref('Segment');
const tags = ['Segments'];

export const segmentAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Segment);
  const db = app.merx.db;

  app.get(
    '/segments',
    {
      config: { scope: 'customers:read' },
      schema: {
        tags,
        summary: 'List segments',
        description: 'Rule-based customer segments, oldest first, with the size of their cached membership.',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(SegmentRef), ...errorResponses() },
      },
    },
    async (request) => {
      const page = await listSegments(db, request.query);
      return { ...page, data: page.data.map(presentSegment) };
    },
  );

  app.post(
    '/segments',
    {
      config: { scope: 'customers:write' },
      schema: {
        tags,
        summary: 'Create a segment',
        description: `A segment is a rule over customer attributes and behaviour: \`match\` (\`all\` / \`any\`) over conditions, which may be one level of nested groups. Conditions: \`country\` (default shipping, else billing address), \`customer_group\`, \`channel\` (bought through or signed in on), \`lifetime_spend\` (placed orders minus refunds in one currency, minor units), \`order_count\`, \`days_since_last_order\` (never ordered matches neither way), \`viewed_category\` / \`bought_category\` within \`within_days\` (the category or any below it; views count only for customers consenting to personalisation).

Membership is evaluated in SQL when first needed and cached for \`stale_after_minutes\`. Use the segment's ID as \`segment_id\` on a price (segment prices) or in a promotion's \`segment_ids\`. Unknown groups, channels or categories are 422.`,
        body: SegmentCreate,
        response: { 201: SegmentRef, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(presentSegment(await createSegment(db, request.body))),
  );

  app.get(
    '/segments/:id',
    {
      config: { scope: 'customers:read' },
      schema: {
        tags,
        summary: 'Get a segment',
        description:
          'The rules, the cached membership size and when it was computed, and `version` (for If-Match).',
        params: IdParam('seg'),
        response: { 200: SegmentRef, ...errorResponses(404) },
      },
    },
    async (request) => presentSegment(await getSegment(db, request.params.id)),
  );

  app.patch(
    '/segments/:id',
    {
      config: { scope: 'customers:write' },
      schema: {
        tags,
        summary: 'Update a segment',
        description:
          'New rules discard the cached membership (it is recomputed on the next read). Send `If-Match: <version>` to refuse the write when someone else changed the segment first.',
        params: IdParam('seg'),
        headers: IfMatchHeaders,
        body: SegmentUpdate,
        response: { 200: SegmentRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      presentSegment(await updateSegment(db, request.params.id, request.body, expectedVersion(request))),
  );

  app.delete(
    '/segments/:id',
    {
      config: { scope: 'customers:write' },
      schema: {
        tags,
        summary: 'Delete a segment',
        description: 'Prices and promotions that name it simply stop matching anyone.',
        params: IdParam('seg'),
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await deleteSegment(db, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/segments/:id/refresh',
    {
      config: { scope: 'customers:write' },
      schema: {
        tags,
        summary: 'Recompute a segment’s membership now',
        description: 'Evaluates the rules over every customer in one SQL statement and replaces the cache.',
        params: IdParam('seg'),
        response: { 200: SegmentRefresh, ...errorResponses(404) },
      },
    },
    async (request) => {
      await getSegment(db, request.params.id);
      const segment = await refreshSegment(db, request.params.id);
      return { member_count: segment.member_count ?? 0, computed_at: segment.computed_at!.toISOString() };
    },
  );

  app.get(
    '/segments/:id/customers',
    {
      config: { scope: 'customers:read' },
      schema: {
        tags,
        summary: 'Customers in a segment',
        description:
          'The cached membership, by customer ID; recomputed first when older than the segment’s `stale_after_minutes` or with `refresh=true`. `computed_at` says when it was evaluated.',
        params: IdParam('seg'),
        querystring: Type.Object(
          {
            ...PageQuery,
            refresh: Type.Optional(Type.Boolean({ description: 'Recompute before listing' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            data: Type.Array(SegmentMember),
            has_more: Type.Boolean(),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
            computed_at: Timestamp,
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => {
      const page = await listSegmentCustomers(db, request.params.id, request.query);
      return { ...page, computed_at: page.computed_at.toISOString() };
    },
  );
};
