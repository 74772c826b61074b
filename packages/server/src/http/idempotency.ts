import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { ApiError } from './problem.js';

const WAIT_FOR_FIRST_ATTEMPT_MS = 30_000;
const POLL_MS = 25;
const KEY_LIFETIME = '24 hours';

interface StoredResponse {
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  response_type: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { scope: string; key: string } | null;
  }
}

function scopeOf(request: FastifyRequest): string {
  // Keys are per caller: two shops' clients may pick the same key without clashing.
  const caller = request.admin?.id ?? request.apiKeyId ?? 'anonymous';
  const session = request.headers['x-customer-token'] ?? '';
  return `${caller}:${createHash('sha256').update(String(session)).digest('hex').slice(0, 16)}`;
}

function fingerprint(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every POST honours `Idempotency-Key`: the first request claims the key with an insert;
 * a retry with the same body waits for the first to finish and replays its response
 * (this is what makes 20 concurrent retries of one checkout charge once).
 */
export function registerIdempotency(app: FastifyInstance): void {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request, reply) => {
    // A credential (session token) must not sit in the replay table: such routes are simply
    // not replayed, and a retried login opens another session.
    if (request.method !== 'POST' || request.routeOptions.config?.returnsCredential) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    const key = String(header);
    if (key.length === 0 || key.length > 255) {
      throw new ApiError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 characters');
    }
    const scope = scopeOf(request);
    const hash = fingerprint(request);
    const db = app.merx.db;
    await sql`DELETE FROM idempotency_keys WHERE scope = ${scope} AND key = ${key}
      AND created_at < now() - ${KEY_LIFETIME}::interval`.execute(db);
    const claimed =
      await sql`INSERT INTO idempotency_keys (scope, key, request_hash) VALUES (${scope}, ${key}, ${hash})
      ON CONFLICT DO NOTHING RETURNING key`.execute(db);
    if (claimed.rows.length === 1) {
      request.idempotency = { scope, key };
      return;
    }
    const deadline = Date.now() + WAIT_FOR_FIRST_ATTEMPT_MS;
    for (;;) {
      const found = await sql<StoredResponse>`SELECT request_hash, status_code, response_body, response_type
        FROM idempotency_keys WHERE scope = ${scope} AND key = ${key}`.execute(db);
      const stored = found.rows[0];
      if (!stored) {
        // The first attempt failed with a server error and released the key: try again as new.
        const retry =
          await sql`INSERT INTO idempotency_keys (scope, key, request_hash) VALUES (${scope}, ${key}, ${hash})
          ON CONFLICT DO NOTHING RETURNING key`.execute(db);
        if (retry.rows.length === 1) {
          request.idempotency = { scope, key };
          return;
        }
        continue;
      }
      if (stored.request_hash !== hash) {
        throw new ApiError(
          422,
          'idempotency_key_reused',
          'This Idempotency-Key was used with a different request',
        );
      }
      if (stored.status_code !== null) {
        reply.header('idempotent-replayed', 'true');
        reply.status(stored.status_code).type(stored.response_type ?? 'application/json');
        return reply.send(stored.response_body);
      }
      if (Date.now() > deadline) {
        throw new ApiError(
          409,
          'idempotency_in_progress',
          'The first request with this key is still running',
        );
      }
      await sleep(POLL_MS);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    if (reply.statusCode >= 500) {
      await sql`DELETE FROM idempotency_keys WHERE scope = ${claim.scope} AND key = ${claim.key}`.execute(
        app.merx.db,
      );
      return payload;
    }
    await sql`UPDATE idempotency_keys SET status_code = ${reply.statusCode},
        response_body = ${typeof payload === 'string' ? payload : null},
        response_type = ${String(reply.getHeader('content-type') ?? 'application/json')}, completed_at = now()
      WHERE scope = ${claim.scope} AND key = ${claim.key}`.execute(app.merx.db);
    return payload;
  });
}
