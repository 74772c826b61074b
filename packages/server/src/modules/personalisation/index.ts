import type { MerxModule } from '../../http/context.js';
import { provideAffinities } from '../search/index.js';
import { shopperAffinities } from './affinities.js';
import { subscribeToOrders } from './purchases.js';
import { personalisationStoreRoutes } from './routes.js';

export { learnAffinities, shopperAffinities } from './affinities.js';
export { countPlacedOrder, retractCancelledOrder } from './purchases.js';
export { type RebuildReport, rebuildRecommendations } from './rebuild.js';
export { type Intent, recommend } from './recommendations.js';
export { deleteShopperData, exportShopperData, stitchVisitorToCustomer, trackEvents } from './tracking.js';

export const personalisationModule: MerxModule = {
  name: 'personalisation',
  storeRoutes: async (app, options) => {
    // Mounted: purchases flow in from orders, and search ranks by this module's affinities.
    subscribeToOrders();
    provideAffinities(shopperAffinities);
    await personalisationStoreRoutes(app, options);
  },
};
