import { categoryList } from './category-list.js';
import { channelFloor } from './channel-floor.js';
import { checkout, checkoutWithHolds } from './checkout.js';
import { productByHandle } from './product-by-handle.js';
import { productList } from './product-list.js';
import type { Scenario } from './types.js';

/** Every scenario, in run order. A new workload is one file and one line here. */
export const scenarios: Scenario[] = [
  productList,
  productByHandle,
  categoryList,
  channelFloor,
  checkout,
  checkoutWithHolds,
];
