import type { MerxModule } from '../../http/context.js';
import { checkoutAdminRoutes, checkoutPublicRoutes, checkoutStoreRoutes } from './routes.js';

export const checkoutModule: MerxModule = {
  name: 'checkout',
  storeRoutes: checkoutStoreRoutes,
  adminRoutes: checkoutAdminRoutes,
  publicRoutes: checkoutPublicRoutes,
};
