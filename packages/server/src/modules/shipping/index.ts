import type { MerxModule } from '../../http/context.js';
import { shippingAdminRoutes } from './routes.js';

export const shippingModule: MerxModule = {
  name: 'shipping',
  adminRoutes: shippingAdminRoutes,
};
