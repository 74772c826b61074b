import type { MerxModule } from '../../http/context.js';
import { startPaymentOperationRecovery } from './recovery.js';
import { orderAdminRoutes } from './routes-admin.js';
import { orderStoreRoutes } from './routes-store.js';

export const ordersModule: MerxModule = {
  name: 'orders',
  adminRoutes: async (app, options) => {
    startPaymentOperationRecovery(app);
    await orderAdminRoutes(app, options);
  },
  storeRoutes: orderStoreRoutes,
};
