import type { MerxModule } from '../../http/context.js';
import { orderAdminRoutes } from './routes-admin.js';
import { orderStoreRoutes } from './routes-store.js';

export const ordersModule: MerxModule = {
  name: 'orders',
  adminRoutes: orderAdminRoutes,
  storeRoutes: orderStoreRoutes,
};
