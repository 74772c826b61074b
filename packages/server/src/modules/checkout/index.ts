import type { MerxModule } from '../../http/context.js';
import { startCheckoutRecovery } from './recovery.js';
import { checkoutAdminRoutes, checkoutPublicRoutes, checkoutStoreRoutes } from './routes.js';

export const checkoutModule: MerxModule = {
  name: 'checkout',
  storeRoutes: checkoutStoreRoutes,
  adminRoutes: async (app, options) => {
    startCheckoutRecovery(app);
    await checkoutAdminRoutes(app, options);
  },
  publicRoutes: checkoutPublicRoutes,
};
