import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../http/problem.js';
import { errorResponses, IdParam, Timestamp } from '../../http/schemas.js';
import { STAFF_ROLES } from './roles.js';
import { createStaff, listStaff, loginStaff, logoutStaff, presentStaff, updateStaff } from './service.js';

const Role = Type.Enum(STAFF_ROLES, {
  description: 'owner · catalog_manager · support (orders, customers) · read_only',
});
const Staff = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: Role,
    scopes: Type.Array(Type.String(), { description: 'Admin API scopes the role grants' }),
    disabled: Type.Boolean(),
    version: Type.Integer(),
    created_at: Timestamp,
  },
  { $id: 'Staff' },
);
const StaffRef = Type.Ref('Staff');
const Email = Type.String({ format: 'email', maxLength: 254, examples: ['owner@merx.dev'] });
const Password = Type.String({ minLength: 8, maxLength: 256 });
const tags = ['Staff'];

export const staffAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Staff);

  app.post(
    '/staff/login',
    {
      config: { public: true, returnsCredential: true },
      schema: {
        tags,
        summary: 'Staff login',
        description:
          'Exchanges a staff email and password for a session token (`st_…`, 12 hours). Send it as `Authorization: Bearer st_…`; the role’s scopes apply exactly like a secret key’s.',
        security: [],
        body: Type.Object({ email: Email, password: Password }, { additionalProperties: false }),
        response: {
          200: Type.Object({ token: Type.String(), expires_at: Timestamp, staff: StaffRef }),
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      const { token, expiresAt, staff } = await loginStaff(
        app.merx.db,
        request.body.email,
        request.body.password,
      );
      return { token, expires_at: expiresAt.toISOString(), staff: presentStaff(staff) };
    },
  );

  app.post(
    '/staff/logout',
    {
      schema: {
        tags,
        summary: 'Staff logout',
        description: 'Revokes the staff session token that made this call.',
        response: { 204: Type.Null(), ...errorResponses() },
      },
    },
    async (request, reply) => {
      if (request.admin.kind !== 'staff')
        throw new ApiError(400, 'not_a_session', 'Only a staff session can log out');
      await logoutStaff(app.merx.db, request.headers.authorization!.slice(7).trim());
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/staff/me',
    {
      schema: {
        tags,
        summary: 'Who am I',
        description: 'The caller’s identity and scopes, so a dashboard shows only what the API allows.',
        response: {
          200: Type.Object({ kind: Type.String(), id: Type.String(), scopes: Type.Array(Type.String()) }),
          ...errorResponses(),
        },
      },
    },
    async (request) => request.admin,
  );

  app.get(
    '/staff',
    {
      config: { scope: '*' },
      schema: {
        tags,
        summary: 'List staff accounts',
        description: 'Owners only.',
        response: { 200: Type.Object({ data: Type.Array(StaffRef) }), ...errorResponses() },
      },
    },
    async () => ({ data: (await listStaff(app.merx.db)).map(presentStaff) }),
  );

  app.post(
    '/staff',
    {
      config: { scope: '*' },
      schema: {
        tags,
        summary: 'Create a staff account',
        description: 'Owners only. Passwords are stored as argon2id hashes.',
        body: Type.Object(
          {
            email: Email,
            name: Type.String({ minLength: 1, maxLength: 200 }),
            role: Role,
            password: Password,
          },
          { additionalProperties: false },
        ),
        response: { 201: StaffRef, ...errorResponses(409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentStaff(await createStaff(app.merx.db, request.body))),
  );

  app.patch(
    '/staff/:id',
    {
      config: { scope: '*' },
      schema: {
        tags,
        summary: 'Change a staff account',
        description:
          'Owners only: rename, change role, or disable (disabling ends access at the next request).',
        params: IdParam('staff'),
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            role: Type.Optional(Role),
            disabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: StaffRef, ...errorResponses(404) },
      },
    },
    async (request) => presentStaff(await updateStaff(app.merx.db, request.params.id, request.body)),
  );
};
