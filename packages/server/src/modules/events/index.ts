import type { MerxModule } from '../../http/context.js';
import { eventAdminRoutes } from './routes.js';
import { eventStoreRoutes } from './streams.js';

export const eventsModule: MerxModule = {
  name: 'events',
  adminRoutes: eventAdminRoutes,
  storeRoutes: eventStoreRoutes,
};
