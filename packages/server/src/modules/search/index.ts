import type { MerxModule } from '../../http/context.js';
import { searchStoreRoutes } from './routes.js';

export { type AffinitySource, provideAffinities, type Shopper } from './affinities.js';
export { type Affinities, affinityOf, MAX_BLEND, personalisedRank, type Rankable } from './personalise.js';
export { searchProducts } from './service.js';

export const searchModule: MerxModule = {
  name: 'search',
  storeRoutes: searchStoreRoutes,
};
