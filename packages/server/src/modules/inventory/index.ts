import type { MerxModule } from '../../http/context.js';
import { inventoryAdminRoutes, inventoryStoreRoutes } from './routes.js';
import { startReservationSweeper } from './sweeper.js';

export const inventoryModule: MerxModule = {
  name: 'inventory',
  adminRoutes: async (app, options) => {
    startReservationSweeper(app);
    await inventoryAdminRoutes(app, options);
  },
  storeRoutes: inventoryStoreRoutes,
};
