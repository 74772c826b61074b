import type { MerxModule } from '../http/context.js';
import { channelsModule } from './channels/index.js';

/** Every domain module, in mount order. Adding a module is one line here. */
export const modules: MerxModule[] = [channelsModule];
