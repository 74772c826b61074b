import type { MerxModule } from '../../http/context.js';
import { pricingAdminRoutes } from './routes.js';

export { type PriceCandidate, type PriceContext, selectPrice } from './select.js';
export { priceVariants, type SelectedPrice } from './service.js';

export const pricingModule: MerxModule = { name: 'pricing', adminRoutes: pricingAdminRoutes };
