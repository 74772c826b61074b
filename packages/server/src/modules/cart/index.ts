import type { MerxModule } from '../../http/context.js';
import { cartAdminRoutes, cartStoreRoutes } from './routes.js';

export { authorizeCart, type CartAccess, cartAccessOf, getCart } from './access.js';
export { mergeCartsAtLogin } from './merge.js';
export { presentCart } from './present.js';
export { type PricedCart, priceCart } from './pricing.js';
export { markCartCompleted } from './service.js';

export const cartModule: MerxModule = {
  name: 'cart',
  storeRoutes: cartStoreRoutes,
  adminRoutes: cartAdminRoutes,
};
