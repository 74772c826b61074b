import type { MerxModule } from '../../http/context.js';
import { promotionAdminRoutes } from './routes.js';

export const promotionsModule: MerxModule = {
  name: 'promotions',
  adminRoutes: promotionAdminRoutes,
};
