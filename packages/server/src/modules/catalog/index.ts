import type { MerxModule } from '../../http/context.js';
import { catalogAdminRoutes } from './routes-admin.js';
import { catalogStoreRoutes } from './routes-store.js';

export { changeAssortment, listChannelProductIds, listSellableProductIds } from './assortment.js';
export { createProduct, deleteProduct, getProduct, updateProduct } from './products.js';
export { getSellableVariants, type SellableVariant } from './sellable.js';
export { createCategory, createCollection } from './taxonomy.js';

export const catalogModule: MerxModule = {
  name: 'catalog',
  adminRoutes: catalogAdminRoutes,
  storeRoutes: catalogStoreRoutes,
};
