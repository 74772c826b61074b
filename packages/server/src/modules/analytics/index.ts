import type { MerxModule } from '../../http/context.js';
import { analyticsAdminRoutes } from './routes.js';

export const analyticsModule: MerxModule = { name: 'analytics', adminRoutes: analyticsAdminRoutes };
