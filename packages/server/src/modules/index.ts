import type { MerxModule } from '../http/context.js';
import { analyticsModule } from './analytics/index.js';
import { cartModule } from './cart/index.js';
import { catalogModule } from './catalog/index.js';
import { channelsModule } from './channels/index.js';
import { checkoutModule } from './checkout/index.js';
import { customersModule } from './customers/index.js';
import { eventsModule } from './events/index.js';
import { inventoryModule } from './inventory/index.js';
import { ordersModule } from './orders/index.js';
import { personalisationModule } from './personalisation/index.js';
import { pricingModule } from './pricing/index.js';
import { promotionsModule } from './promotions/index.js';
import { searchModule } from './search/index.js';
import { segmentsModule } from './segments/index.js';
import { shippingModule } from './shipping/index.js';
import { staffModule } from './staff/index.js';
import { webhooksModule } from './webhooks/index.js';

/** Every domain module, in mount order. Adding a module is one line here. */
export const modules: MerxModule[] = [
  channelsModule,
  catalogModule,
  pricingModule,
  searchModule,
  customersModule,
  inventoryModule,
  promotionsModule,
  shippingModule,
  cartModule,
  checkoutModule,
  ordersModule,
  staffModule,
  eventsModule,
  webhooksModule,
  personalisationModule,
  segmentsModule,
  analyticsModule,
];
