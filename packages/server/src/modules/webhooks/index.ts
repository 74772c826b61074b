import type { MerxModule } from '../../http/context.js';
import { webhookAdminRoutes } from './routes.js';

export const webhooksModule: MerxModule = { name: 'webhooks', adminRoutes: webhookAdminRoutes };
