import type { Scenario } from './types.js';

/**
 * The per-request floor: authentication, hooks (rate limit, metrics, caching headers) and
 * serialisation around a response that needs no database (the key lookup is cached).
 * What the catalog scenarios cost beyond this is the catalog's own work.
 */
export const channelFloor: Scenario = {
  name: 'channel-floor',
  description: 'GET /store/v1/channel: the same pipeline without a catalog query (cached key, tiny body)',
  async prepare() {
    return { requests: [{ method: 'GET', path: '/store/v1/channel' }] };
  },
};
