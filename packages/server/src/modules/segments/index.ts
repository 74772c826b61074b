import type { MerxModule } from '../../http/context.js';
import { segmentAdminRoutes } from './routes.js';

export { getCustomerSegmentIds, refreshSegment } from './membership.js';
export type { SegmentRules } from './rules.js';

export const segmentsModule: MerxModule = {
  name: 'segments',
  adminRoutes: segmentAdminRoutes,
};
