import type { MerxModule } from '../../http/context.js';
import { customerAdminRoutes } from './routes-admin.js';
import { customerStoreRoutes } from './routes-store.js';

export { type Consent, getConsent, getCustomer, type PublicCustomer } from './service.js';
export { getCustomerGroupIds, requireCustomer, resolveCustomerSession } from './session.js';

export const customersModule: MerxModule = {
  name: 'customers',
  adminRoutes: customerAdminRoutes,
  storeRoutes: customerStoreRoutes,
};
