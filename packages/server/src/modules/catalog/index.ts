import type { MerxModule } from '../../http/context.js';
import { catalogAdminRoutes } from './routes-admin.js';
import { catalogImportRoutes } from './routes-import.js';
import { catalogStoreRoutes } from './routes-store.js';

export { changeAssortment, listChannelProductIds, listSellableProductIds } from './assortment.js';
export { exportProducts } from './export.js';
export { type ImportReport, importProducts } from './import.js';
export type { ImportRecord } from './import-format.js';
export { createProduct, deleteProduct, getProduct, updateProduct } from './products.js';
export { getSellableVariants, type SellableVariant } from './sellable.js';
export { getShelfProducts, type ShelfProduct } from './shelf.js';
export { createCategory, createCollection } from './taxonomy.js';

export const catalogModule: MerxModule = {
  name: 'catalog',
  adminRoutes: async (app, options) => {
    await app.register(catalogAdminRoutes, options);
    await app.register(catalogImportRoutes, options);
  },
  storeRoutes: catalogStoreRoutes,
};
