import type { MerxModule } from '../../http/context.js';
import { channelAdminRoutes, channelStoreRoutes } from './routes.js';

export const channelsModule: MerxModule = {
  name: 'channels',
  adminRoutes: channelAdminRoutes,
  storeRoutes: channelStoreRoutes,
};
