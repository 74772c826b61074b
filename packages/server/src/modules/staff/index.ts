import type { MerxModule } from '../../http/context.js';
import { staffAdminRoutes } from './routes.js';

export const staffModule: MerxModule = { name: 'staff', adminRoutes: staffAdminRoutes };
