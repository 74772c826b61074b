import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion } from '../../http/concurrency.js';
import { errorResponses, IdParam, IfMatchHeaders } from '../../http/schemas.js';
import {
  createAddress,
  deleteAddress,
  getAddress,
  listAddresses,
  presentAddress,
  updateAddress,
} from './addresses.js';
import { changePassword } from './password-change.js';
import { confirmPasswordReset, requestPasswordReset } from './password-reset.js';
import {
  AddressCreate,
  AddressUpdate,
  Customer,
  CustomerAddress,
  CustomerLogin,
  CustomerRegister,
  CustomerSelfUpdate,
  LoginResult,
  PasswordChange,
  PasswordResetConfirm,
  PasswordResetRequest,
} from './schema.js';
import { getCustomer, login, presentCustomer, registerCustomer, updateCustomer } from './service.js';
import { requireCustomer, revokeSession, SESSION_TOKEN_HEADER } from './session.js';

const CustomerRef = Type.Ref('Customer');
const AddressRef = Type.Ref('CustomerAddress');
const tags = ['Customers'];
/** Routes for the signed-in shopper: publishable key plus the session header. */
const signedIn = [{ publishableKey: [], customerSession: [] }];

export const customerStoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Customer);
  app.addSchema(CustomerAddress);
  const db = app.merx.db;

  app.post(
    '/customers',
    {
      schema: {
        tags,
        summary: 'Register a customer',
        description:
          'Creates an account (argon2id password hash) and emits `customer.created`. The password needs 8 to 256 characters and must not be the email (422 `weak_password` otherwise); a registered email is 409 `email_taken`. Log in afterwards to get a session.',
        body: CustomerRegister,
        response: { 201: CustomerRef, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(presentCustomer(await registerCustomer(db, request.body, { channelId: request.channel.id }))),
  );

  app.post(
    '/customers/login',
    {
      config: { returnsCredential: true },
      schema: {
        tags,
        summary: 'Log in',
        description:
          'Checks email and password and opens a 30-day session on this channel. Send the returned `token` as `X-Customer-Token` on later store requests. A wrong email and a wrong password give the same 401 `invalid_credentials` in about the same time. After 10 wrong passwords within 15 minutes the account is locked for 15 minutes: 429 `too_many_attempts` with `retry_after` seconds (a password reset lifts the lock).\n\nWith `cart_id` (the guest cart open on this device) the guest cart is folded into the customer’s cart in the same transaction, under the channel’s merge policy (`keep_guest`, `keep_customer` or `merge_lines`, set in `/admin/v1/cart-settings`); `cart_merge` says which cart to use now and what was merged. A guest cart that cannot be merged (unknown, another channel’s, already checked out) does not block the login: `cart_merge.error` says why and `cart_merge.cart_id` is null.',
        body: CustomerLogin,
        response: { 200: LoginResult, ...errorResponses() },
      },
    },
    async (request) => {
      const result = await login(db, request.body, {
        channel: request.channel,
        userAgent: request.headers['user-agent'],
      });
      return {
        token: result.token,
        expires_at: result.expiresAt.toISOString(),
        customer: presentCustomer(result.customer),
        ...(result.cartMerge ? { cart_merge: result.cartMerge } : {}),
      };
    },
  );

  app.post(
    '/customers/logout',
    {
      schema: {
        tags,
        summary: 'Log out',
        description:
          'Revokes the session of `X-Customer-Token` at once; using it again is 401 `invalid_session`.',
        security: signedIn,
        response: { 204: Type.Null(), ...errorResponses() },
      },
    },
    async (request, reply) => {
      requireCustomer(request);
      await revokeSession(db, String(request.headers[SESSION_TOKEN_HEADER]));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/customers/me',
    {
      schema: {
        tags,
        summary: 'My profile',
        description: 'The signed-in customer: profile and consent flags.',
        security: signedIn,
        response: { 200: CustomerRef, ...errorResponses() },
      },
    },
    async (request) => getCustomer(db, requireCustomer(request).id),
  );

  app.patch(
    '/customers/me',
    {
      schema: {
        tags,
        summary: 'Update my profile',
        description:
          'Names, phone and consent flags. A consent timestamp moves only when that choice changes, so it dates the decision. Send `If-Match: <version>` to refuse the write when another device changed the profile first. Emits `customer.updated`.',
        security: signedIn,
        headers: IfMatchHeaders,
        body: CustomerSelfUpdate,
        response: { 200: CustomerRef, ...errorResponses(409) },
      },
    },
    async (request) =>
      presentCustomer(
        await updateCustomer(db, requireCustomer(request).id, request.body, expectedVersion(request)),
      ),
  );

  app.post(
    '/customers/me/password',
    {
      schema: {
        tags,
        summary: 'Change my password',
        description:
          'Needs the current password (422 `wrong_password` otherwise) and a new one meeting the policy (422 `weak_password`). Every other session of the customer is revoked; this one stays signed in. Emits `customer.password_changed`.',
        security: signedIn,
        body: PasswordChange,
        response: { 204: Type.Null(), ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => {
      await changePassword(db, requireCustomer(request).id, request.body, {
        sessionToken: String(request.headers[SESSION_TOKEN_HEADER]),
        channelId: request.channel.id,
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/customers/me/addresses',
    {
      schema: {
        tags,
        summary: 'My addresses',
        description: 'Every saved address of the signed-in customer (at most 50), oldest first.',
        security: signedIn,
        response: { 200: Type.Object({ data: Type.Array(AddressRef) }), ...errorResponses() },
      },
    },
    async (request) => ({ data: (await listAddresses(db, requireCustomer(request).id)).map(presentAddress) }),
  );

  app.post(
    '/customers/me/addresses',
    {
      schema: {
        tags,
        summary: 'Add an address',
        description:
          'Country is ISO 3166-1 alpha-2. Setting a default flag takes it from the previous default. At most 50 addresses (422 `address_limit_reached`).',
        security: signedIn,
        body: AddressCreate,
        response: { 201: AddressRef, ...errorResponses(422) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(presentAddress(await createAddress(db, requireCustomer(request).id, request.body))),
  );

  app.get(
    '/customers/me/addresses/:id',
    {
      schema: {
        tags,
        summary: 'Get one of my addresses',
        description: 'Another customer’s address is 404, exactly like an unknown id.',
        security: signedIn,
        params: IdParam('cadr'),
        response: { 200: AddressRef, ...errorResponses(404) },
      },
    },
    async (request) => presentAddress(await getAddress(db, requireCustomer(request).id, request.params.id)),
  );

  app.patch(
    '/customers/me/addresses/:id',
    {
      schema: {
        tags,
        summary: 'Update one of my addresses',
        description: 'Send `null` to clear an optional field; `If-Match: <version>` refuses stale writes.',
        security: signedIn,
        params: IdParam('cadr'),
        headers: IfMatchHeaders,
        body: AddressUpdate,
        response: { 200: AddressRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      presentAddress(
        await updateAddress(
          db,
          requireCustomer(request).id,
          request.params.id,
          request.body,
          expectedVersion(request),
        ),
      ),
  );

  app.delete(
    '/customers/me/addresses/:id',
    {
      schema: {
        tags,
        summary: 'Delete one of my addresses',
        description: 'Another customer’s address is 404 and stays untouched.',
        security: signedIn,
        params: IdParam('cadr'),
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await deleteAddress(db, requireCustomer(request).id, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/customers/password-reset',
    {
      schema: {
        tags,
        summary: 'Request a password reset',
        description:
          'Always 202, whether or not the email has an account. For a known email a single-use token valid for one hour is stored (hashed) and the event `customer.password_reset_requested` carries the plain token, the email and the channel: Merx sends no email itself, an email extension subscribed to that event delivers the link. A new request invalidates the previous token.',
        body: PasswordResetRequest,
        response: { 202: Type.Null(), ...errorResponses() },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(db, request.body.email, { channelId: request.channel.id });
      return reply.status(202).send(null);
    },
  );

  app.post(
    '/customers/password-reset/confirm',
    {
      schema: {
        tags,
        summary: 'Set a new password with a reset token',
        description:
          'Spends the token, sets the new password (same policy as registration) and revokes every session of the customer. An unknown, expired or used token is 422 `invalid_reset_token`. Emits `customer.password_changed`.',
        body: PasswordResetConfirm,
        response: { 204: Type.Null(), ...errorResponses(422) },
      },
    },
    async (request, reply) => {
      await confirmPasswordReset(db, request.body);
      return reply.status(204).send(null);
    },
  );
};
