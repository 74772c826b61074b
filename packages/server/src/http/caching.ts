import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * Catalog reads carry a strong ETag over the exact body and the route's Cache-Control,
 * so a CDN or a head can revalidate cheaply; a matching If-None-Match gets 304.
 */
export function registerHttpCaching(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const cacheControl = request.routeOptions.config?.cacheControl;
    if (!cacheControl || request.method !== 'GET' || reply.statusCode !== 200) return payload;
    if (typeof payload !== 'string') return payload;
    const etag = `"${createHash('sha1').update(payload).digest('base64url')}"`;
    reply.header('etag', etag);
    reply.header('cache-control', cacheControl);
    // The response depends on the key (channel) and customer session.
    reply.header('vary', 'Authorization, X-Customer-Token');
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}`)) {
      reply.code(304);
      return '';
    }
    return payload;
  });
}
