import type { Db } from '../db/database.js';
import { createApiKey } from '../modules/channels/keys.js';
import { createChannel } from '../modules/channels/service.js';

export interface SeedOptions {
  print?: (line: string) => void;
}

// Replaced by the full demo catalog generator (products, categories, prices) in progress.
export async function seedDemoCatalog(db: Db, _options: SeedOptions = {}): Promise<void> {
  for (const input of [
    { name: 'Web store', kind: 'web', default_currency: 'EUR', currencies: ['EUR', 'USD'] },
    { name: 'Mobile app', kind: 'mobile', default_currency: 'EUR', currencies: ['EUR', 'USD'] },
    {
      name: 'Voice',
      kind: 'voice',
      default_currency: 'EUR',
      currencies: ['EUR'],
      head_profile: 'speakable' as const,
    },
  ]) {
    const channel = await createChannel(db, input);
    await createApiKey(db, { kind: 'publishable', name: `${input.name} key`, channel_id: channel.id });
  }
}
