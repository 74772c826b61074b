import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion } from '../../http/concurrency.js';
import { errorResponses, IdParam, IfMatchHeaders, Page } from '../../http/schemas.js';
import { listAddresses, presentAddress } from './addresses.js';
import {
  addMembers,
  createGroup,
  deleteGroup,
  getGroup,
  listGroups,
  presentGroup,
  removeMember,
  updateGroup,
} from './groups.js';
import {
  AdminCustomer,
  AdminCustomerDetail,
  CustomerAddress,
  CustomerAdminUpdate,
  CustomerGroup,
  CustomerGroupCreate,
  CustomerGroupUpdate,
  CustomerListQuery,
  GroupMembersAdd,
} from './schema.js';
import { getCustomerWithGroups, listCustomers, presentAdminCustomer, updateCustomer } from './service.js';

const AdminCustomerRef = Type.Ref('AdminCustomer');
const GroupRef = Type.Ref('CustomerGroup');

export const customerAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(CustomerAddress);
  app.addSchema(AdminCustomer);
  app.addSchema(AdminCustomerDetail);
  app.addSchema(CustomerGroup);
  const db = app.merx.db;
  const tags = ['Customers'];
  const groupTags = ['Customer groups'];

  const detail = async (id: string) => ({
    ...presentAdminCustomer(await getCustomerWithGroups(db, id)),
    addresses: (await listAddresses(db, id)).map(presentAddress),
  });

  app.get(
    '/customers',
    {
      config: { scope: 'customers:read' },
      schema: {
        tags,
        summary: 'List and search customers',
        description:
          'Newest first. `q` matches anywhere in the email, first or last name, case-insensitively; `group_id` keeps only members of a group. Cursor pagination.',
        querystring: CustomerListQuery,
        response: { 200: Page(AdminCustomerRef), ...errorResponses() },
      },
    },
    async (request) => {
      const page = await listCustomers(db, request.query);
      return { ...page, data: page.data.map(presentAdminCustomer) };
    },
  );

  app.get(
    '/customers/:id',
    {
      config: { scope: 'customers:read' },
      schema: {
        tags,
        summary: 'Get a customer',
        description: 'Profile, consent flags, groups and saved addresses. Never the password hash.',
        params: IdParam('cus'),
        response: { 200: Type.Ref('AdminCustomerDetail'), ...errorResponses(404) },
      },
    },
    async (request) => detail(request.params.id),
  );

  app.patch(
    '/customers/:id',
    {
      config: { scope: 'customers:write' },
      schema: {
        tags,
        summary: 'Update a customer',
        description:
          'Names, phone and metadata. Consent stays the customer’s own decision and the email is not changed here. `If-Match: <version>` refuses stale writes. Emits `customer.updated`.',
        params: IdParam('cus'),
        headers: IfMatchHeaders,
        body: CustomerAdminUpdate,
        response: { 200: Type.Ref('AdminCustomerDetail'), ...errorResponses(404, 409) },
      },
    },
    async (request) => {
      await updateCustomer(db, request.params.id, request.body, expectedVersion(request));
      return detail(request.params.id);
    },
  );

  app.get(
    '/customer-groups',
    {
      config: { scope: 'customers:read' },
      schema: {
        tags: groupTags,
        summary: 'List customer groups',
        description: 'Every group by name, with its member count.',
        response: { 200: Type.Object({ data: Type.Array(GroupRef) }), ...errorResponses() },
      },
    },
    async () => ({ data: (await listGroups(db)).map(presentGroup) }),
  );

  app.post(
    '/customer-groups',
    {
      config: { scope: 'customers:write' },
      schema: {
        tags: groupTags,
        summary: 'Create a customer group',
        description: 'Group names are unique, case-insensitively (409 `group_name_taken`).',
        body: CustomerGroupCreate,
        response: { 201: GroupRef, ...errorResponses(409) },
      },
    },
    async (request, reply) => reply.status(201).send(presentGroup(await createGroup(db, request.body))),
  );

  app.get(
    '/customer-groups/:id',
    {
      config: { scope: 'customers:read' },
      schema: {
        tags: groupTags,
        summary: 'Get a customer group',
        description: 'List its members with `GET /admin/v1/customers?group_id=…`.',
        params: IdParam('cgrp'),
        response: { 200: GroupRef, ...errorResponses(404) },
      },
    },
    async (request) => presentGroup(await getGroup(db, request.params.id)),
  );

  app.patch(
    '/customer-groups/:id',
    {
      config: { scope: 'customers:write' },
      schema: {
        tags: groupTags,
        summary: 'Update a customer group',
        description: '`If-Match: <version>` refuses stale writes.',
        params: IdParam('cgrp'),
        headers: IfMatchHeaders,
        body: CustomerGroupUpdate,
        response: { 200: GroupRef, ...errorResponses(404, 409) },
      },
    },
    async (request) =>
      presentGroup(await updateGroup(db, request.params.id, request.body, expectedVersion(request))),
  );

  app.delete(
    '/customer-groups/:id',
    {
      config: { scope: 'customers:write' },
      schema: {
        tags: groupTags,
        summary: 'Delete a customer group',
        description: 'Removes the group and its memberships; the customers stay.',
        params: IdParam('cgrp'),
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await deleteGroup(db, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/customer-groups/:id/members',
    {
      config: { scope: 'customers:write' },
      schema: {
        tags: groupTags,
        summary: 'Add customers to a group',
        description:
          'Up to 100 customer ids at once; existing members are kept as they are. If any id is unknown nothing is added and the 404 names each unknown id. Membership takes effect on the customer’s next store request.',
        params: IdParam('cgrp'),
        body: GroupMembersAdd,
        response: { 200: GroupRef, ...errorResponses(404) },
      },
    },
    async (request) => presentGroup(await addMembers(db, request.params.id, request.body.customer_ids)),
  );

  app.delete(
    '/customer-groups/:id/members/:customer_id',
    {
      config: { scope: 'customers:write' },
      schema: {
        tags: groupTags,
        summary: 'Remove a customer from a group',
        description:
          'The customer stays; group prices and promotions stop applying from their next store request. 404 when the customer is not a member.',
        params: Type.Object({
          id: Type.String({ minLength: 3, maxLength: 64 }),
          customer_id: Type.String({ minLength: 3, maxLength: 64 }),
        }),
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await removeMember(db, request.params.id, request.params.customer_id);
      return reply.status(204).send(null);
    },
  );
};
