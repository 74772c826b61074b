import { Type } from 'typebox';
import { Currency } from '../../http/schemas.js';

const Amounts = Type.Array(
  Type.Object({ currency: Currency, amount: Type.Integer({ description: 'Minor units' }) }),
  { description: 'One amount per currency: amounts in different currencies are never added' },
);
const Rate = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
  description: 'Share of the earlier step that reached the later one; null when the earlier step is 0',
});

export const OverviewQuery = Type.Object(
  {
    days: Type.Integer({
      minimum: 1,
      maximum: 366,
      default: 30,
      description: 'Window length in UTC days, today included',
    }),
    channel_id: Type.Optional(Type.String({ minLength: 3, maxLength: 64, description: 'Only this channel' })),
  },
  { additionalProperties: false },
);

export const Overview = Type.Object(
  {
    from: Type.String({ format: 'date-time', description: 'Start of the window (midnight UTC)' }),
    days: Type.Integer(),
    daily: Type.Array(
      Type.Object({
        date: Type.String({ description: 'UTC day, YYYY-MM-DD', examples: ['2026-11-25'] }),
        orders: Type.Integer({ description: 'Orders placed that day, cancelled ones left out' }),
        revenue: Amounts,
      }),
      { description: 'Every day of the window, oldest first, days without orders included' },
    ),
    top_products: Type.Array(
      Type.Object({
        product_id: Type.String(),
        title: Type.String(),
        units: Type.Integer(),
        revenue: Amounts,
      }),
      { description: 'The 10 best sellers by units' },
    ),
    funnel: Type.Object({
      views: Type.Integer({ description: 'Product views recorded for shoppers who consented to tracking' }),
      carts: Type.Integer({ description: 'Carts opened (`cart.created` events)' }),
      orders: Type.Integer({ description: 'Orders placed' }),
      rates: Type.Object({ view_to_cart: Rate, cart_to_order: Rate, view_to_order: Rate }),
    }),
  },
  { $id: 'AnalyticsOverview' },
);
