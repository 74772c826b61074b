import type { FastifyInstance, FastifyRequest } from 'fastify';
import { resolveApiKey } from '../modules/channels/keys.js';
import {
  invalidSession,
  resolveCustomerSession,
  SESSION_TOKEN_HEADER,
} from '../modules/customers/session.js';
import { resolveStaffToken } from '../modules/staff/service.js';
import { ApiError } from './problem.js';

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  // EventSource cannot send headers, so live streams may pass the key as a query parameter.
  const query = request.query as Record<string, unknown> | undefined;
  if (request.method === 'GET' && typeof query?.key === 'string') return query.key;
  return null;
}

const missingKey = () =>
  new ApiError(401, 'missing_api_key', 'Send your key as `Authorization: Bearer <key>`');
const invalidKey = () => new ApiError(401, 'invalid_api_key', 'The API key is unknown or revoked');

/**
 * Store surface: a publishable key selects the channel; an optional `X-Customer-Token`
 * signs a customer in (a bad token is a 401, never silently anonymous).
 */
export function requirePublishableKey(app: FastifyInstance): void {
  app.decorateRequest('channel', null as never);
  app.decorateRequest('apiKeyId', '');
  app.decorateRequest('customer', null);
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request);
    if (!token) throw missingKey();
    if (token.startsWith('sk_')) {
      throw new ApiError(
        403,
        'wrong_key_kind',
        'Store routes take a publishable key (pk_…), not a secret key',
      );
    }
    const key = await resolveApiKey(app.merx.db, token);
    if (key?.kind !== 'publishable' || !key.channel) throw invalidKey();
    request.channel = key.channel;
    request.apiKeyId = key.id;
    // EventSource cannot send headers either: a GET may carry the session as `customer_token`.
    const queryToken = (request.query as Record<string, unknown> | undefined)?.customer_token;
    const sessionToken =
      request.headers[SESSION_TOKEN_HEADER] ?? (request.method === 'GET' ? queryToken : undefined);
    if (sessionToken !== undefined) {
      const customer =
        typeof sessionToken === 'string'
          ? await resolveCustomerSession(app.merx.db, sessionToken, key.channel.id)
          : null;
      if (!customer) throw invalidSession();
      request.customer = customer;
    }
  });
}

export function hasScope(granted: string[], required: string): boolean {
  if (granted.includes('*') || granted.includes(required)) return true;
  // `catalog:write` implies `catalog:read`.
  const [area, action] = required.split(':');
  return action === 'read' && granted.includes(`${area}:write`);
}

/** Admin surface: a secret key or a staff session, with the route's scope. */
export function requireSecretKey(app: FastifyInstance): void {
  app.decorateRequest('admin', null as never);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public) return;
    const token = bearerToken(request);
    if (!token) throw missingKey();
    if (token.startsWith('pk_')) {
      throw new ApiError(
        403,
        'wrong_key_kind',
        'Admin routes need a secret key (sk_…) or a staff session; publishable keys are public',
      );
    }
    if (token.startsWith('st_')) {
      const staff = await resolveStaffToken(app.merx.db, token);
      if (!staff)
        throw new ApiError(401, 'invalid_session', 'The staff session is unknown, expired or revoked');
      request.admin = { kind: 'staff', id: staff.staffId, scopes: staff.scopes };
    } else {
      const key = await resolveApiKey(app.merx.db, token);
      if (key?.kind !== 'secret') throw invalidKey();
      request.admin = { kind: 'secret_key', id: key.id, scopes: key.scopes };
    }
    const required = request.routeOptions.config.scope;
    if (required && !hasScope(request.admin.scopes, required)) {
      throw new ApiError(403, 'insufficient_scope', `This key or role lacks the scope ${required}`, {
        required_scope: required,
      });
    }
  });
}
