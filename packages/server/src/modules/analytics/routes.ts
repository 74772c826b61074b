import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.js';
import { getChannel } from '../channels/service.js';
import { Overview, OverviewQuery } from './schema.js';
import { analyticsOverview } from './service.js';

export const analyticsAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Overview);

  app.get(
    '/analytics/overview',
    {
      config: { scope: 'orders:read' },
      schema: {
        tags: ['Analytics'],
        summary: 'Sales overview',
        description:
          'What the dashboard home charts: orders and revenue per UTC day (placed, not cancelled, at the order total, per currency), the 10 best-selling products by units, and the funnel from product views (shoppers who consented to tracking) to carts opened to orders placed. Read-only; optionally for one channel.',
        querystring: OverviewQuery,
        response: { 200: Type.Ref('AnalyticsOverview'), ...errorResponses(404) },
      },
    },
    async (request) => {
      const { days, channel_id: channelId } = request.query;
      // An unknown channel is a 404, not an empty chart that looks like a quiet month.
      if (channelId !== undefined) await getChannel(app.merx.db, channelId);
      return analyticsOverview(app.merx.db, { days, channelId });
    },
  );
};
