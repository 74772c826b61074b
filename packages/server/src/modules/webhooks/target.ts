import type { Db } from '../../db/database.js';
import { literal } from '../../db/plan-stable.js';
import type { DeliveryTarget } from '../events/queue.js';
import { presentEvent } from '../events/service.js';
import { pinTarget, postPinned, RefusedTarget, type WebhookNetwork } from './network.js';
import { matchesEventType, PING_EVENT } from './service.js';
import { SIGNATURE_HEADER, signPayload } from './signature.js';

/**
 * Webhook endpoints as a delivery kind of the event queue: routes each event to the
 * enabled endpoints subscribed to its type, and POSTs it signed. The URL is checked again
 * at every attempt (DNS may have changed since the endpoint was created) and the request
 * goes to the address that passed the check.
 */
export function webhookTarget(db: Db, network: WebhookNetwork): DeliveryTarget {
  return {
    kind: 'webhook',
    async route(tx, events) {
      const endpoints = await tx
        .selectFrom('webhook_endpoints')
        .select(['id', 'event_types', 'start_seq'])
        .where('enabled', '=', literal(true))
        .execute();
      const routed = [];
      for (const event of events) {
        if (event.type === PING_EVENT) {
          if (endpoints.some((endpoint) => endpoint.id === event.resource_id))
            routed.push({ key: event.resource_id, event });
          continue;
        }
        for (const endpoint of endpoints) {
          if (event.seq > endpoint.start_seq && matchesEventType(endpoint.event_types, event.type)) {
            routed.push({ key: endpoint.id, event });
          }
        }
      }
      return routed;
    },
    async deliver(endpointId, event, delivery) {
      const endpoint = await db
        .selectFrom('webhook_endpoints')
        .select(['url', 'secret', 'enabled'])
        .where('id', '=', endpointId)
        .executeTakeFirst();
      if (!endpoint) return { ok: false, statusCode: null, error: 'The endpoint was deleted', durationMs: 0 };
      if (!endpoint.enabled)
        return { ok: false, statusCode: null, error: 'The endpoint is disabled', durationMs: 0 };
      let pinned: Awaited<ReturnType<typeof pinTarget>>;
      try {
        pinned = await pinTarget(endpoint.url, network);
      } catch (error) {
        if (!(error instanceof RefusedTarget)) throw error;
        return { ok: false, statusCode: null, error: `URL refused: it ${error.message}`, durationMs: 0 };
      }
      const body = JSON.stringify(presentEvent(event));
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Merx-Webhooks/1',
        [SIGNATURE_HEADER]: signPayload(endpoint.secret, body, Math.floor(Date.now() / 1000)),
        'merx-event-id': event.id,
        'merx-event-type': event.type,
        'merx-delivery-id': delivery.id,
        'merx-delivery-attempt': String(delivery.attempts),
      };
      const started = performance.now();
      try {
        const result = await postPinned(pinned, body, headers, network.timeoutMs);
        const ok = result.statusCode >= 200 && result.statusCode < 300;
        return {
          ok,
          statusCode: result.statusCode,
          error: ok ? null : `Receiver answered ${result.statusCode}`,
          durationMs: result.durationMs,
        };
      } catch (error) {
        return {
          ok: false,
          statusCode: null,
          error: error instanceof Error ? error.message : String(error),
          durationMs: performance.now() - started,
        };
      }
    },
  };
}
