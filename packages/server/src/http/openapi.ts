import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export const API_DESCRIPTION = `Merx is a headless commerce engine. Heads (web, mobile, voice, IoT) call the **store API**
with a publishable channel key; merchants call the **admin API** with a secret key.

* Money is always integer minor units plus an ISO 4217 currency.
* Errors are RFC 9457 \`application/problem+json\` with a machine \`code\` and per-field \`errors\`.
* Lists use cursor pagination: \`limit\` (≤ 100) and \`cursor\` from \`next_cursor\`.
* Mutable resources carry a \`version\`; send \`If-Match\` to refuse stale writes (409 with the current state).
* Every POST accepts \`Idempotency-Key\`: a retry replays the first response; the same key with another body is 422.`;

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Merx API',
        version: '1.0.0',
        description: API_DESCRIPTION,
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: '/', description: 'This server' }],
      components: {
        securitySchemes: {
          publishableKey: { type: 'http', scheme: 'bearer', description: 'Channel publishable key `pk_…`' },
          secretKey: { type: 'http', scheme: 'bearer', description: 'Admin secret key `sk_…`' },
          customerSession: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Customer-Token',
            description:
              'Signed-in shopper on store routes, sent next to the publishable key: the `token` from `POST /store/v1/customers/login` (`cst_…`). Valid for 30 days on the channel that issued it, until logout or a password reset. An unknown, expired or revoked token is 401 `invalid_session`: drop it and log in again.',
          },
        },
      },
      tags: [
        { name: 'Store', description: 'Catalog and shop reads for heads (publishable key)' },
        {
          name: 'Analytics',
          description: 'Read-only sales aggregates for the dashboard home (orders:read)',
        },
        { name: 'Catalog', description: 'Products, variants, categories, collections (secret key)' },
        { name: 'Channels', description: 'Channels and API keys (secret key)' },
        {
          name: 'Customers',
          description: 'Shopper accounts: register, log in, profile, consent, addresses, password reset',
        },
        {
          name: 'Customer groups',
          description: 'Groups for group prices and promotion conditions (secret key)',
        },
        {
          name: 'Inventory',
          description:
            'Stock locations, levels, adjustments, movement history and reservation settings (secret key)',
        },
        {
          name: 'Events',
          description: 'The transactional outbox: list and tail every state change (secret key)',
        },
        {
          name: 'Live',
          description: 'Server-Sent Events streams of carts and customers for heads (publishable key)',
        },
        {
          name: 'Webhooks',
          description: 'Signed, retried, logged event deliveries to your endpoints (secret key)',
        },
        {
          name: 'Carts',
          description: 'Shopping carts: lines, addresses, shipping, promotion codes (publishable key)',
        },
        {
          name: 'Search',
          description: 'Full-text product search with facets, and autocomplete (publishable key)',
        },
        {
          name: 'Shipping & tax',
          description: 'Regions with tax rates and their shipping options (secret key)',
        },
        {
          name: 'Checkout',
          description:
            'Checkout, payment provider webhooks and per-channel capture settings; the `test` provider’s card tokens are listed on the checkout route',
        },
        {
          name: 'Orders',
          description:
            'Orders for their shoppers (publishable key) and for the merchant: capture, refund, cancel, fulfil, deliver, return (secret key)',
        },
        { name: 'Promotions', description: 'Codes and automatic promotions with usage limits (secret key)' },
        {
          name: 'Personalisation',
          description:
            'Consented interaction tracking, recommendations, and the shopper’s own data export and deletion (publishable key)',
        },
        {
          name: 'Segments',
          description:
            'Rule-based customer segments for segment prices and promotion conditions (secret key)',
        },
        { name: 'Operations', description: 'Health, readiness and Prometheus metrics' },
      ],
    },
    // Security follows the surface a route is mounted on, so no route can forget it.
    transform: ({ schema, url }) => {
      const security = schema?.security
        ? schema.security
        : url.startsWith('/store/')
          ? [{ publishableKey: [] }]
          : url.startsWith('/admin/')
            ? [{ secretKey: [] }]
            : [];
      return { schema: { ...schema, security } as typeof schema, url };
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
