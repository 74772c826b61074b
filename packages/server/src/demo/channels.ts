import type { Db } from '../db/database.js';
import { createApiKey, listApiKeys } from '../modules/channels/keys.js';
import { type ChannelInput, createChannel, listChannels } from '../modules/channels/service.js';
import type { DemoChannelIds } from './generate.js';

export type DemoChannelKey = keyof DemoChannelIds;

/** The three demo heads. `metadata.demo` marks them so a re-seed finds them again. */
export const DEMO_CHANNELS: Record<DemoChannelKey, ChannelInput> = {
  web: { name: 'Web store', kind: 'web', default_currency: 'EUR', currencies: ['EUR', 'USD'], locale: 'en' },
  mobile: {
    name: 'Mobile app',
    kind: 'mobile',
    default_currency: 'EUR',
    currencies: ['EUR', 'USD'],
    locale: 'en',
  },
  voice: {
    name: 'Voice',
    kind: 'voice',
    default_currency: 'EUR',
    currencies: ['EUR'],
    locale: 'en',
    head_profile: 'speakable',
  },
};

export interface DemoChannel {
  key: DemoChannelKey;
  id: string;
  name: string;
  kind: string;
  publishableKey: string;
}

/** Creates the demo channels and a publishable key for each, or finds the ones a previous seed made. */
export async function ensureDemoChannels(db: Db): Promise<DemoChannel[]> {
  const existing = await listChannels(db);
  const keys = await listApiKeys(db);
  const channels: DemoChannel[] = [];
  for (const [key, input] of Object.entries(DEMO_CHANNELS) as Array<[DemoChannelKey, ChannelInput]>) {
    const channel =
      existing.find((row) => row.metadata?.demo === key) ??
      (await createChannel(db, { ...input, metadata: { demo: key } }));
    const token =
      keys.find((row) => row.channel_id === channel.id && !row.revoked_at)?.publishable_token ??
      (await createApiKey(db, { kind: 'publishable', name: `${input.name} key`, channel_id: channel.id }))
        .token;
    channels.push({ key, id: channel.id, name: channel.name, kind: channel.kind, publishableKey: token });
  }
  return channels;
}

export const channelIds = (channels: DemoChannel[]): DemoChannelIds =>
  Object.fromEntries(channels.map((channel) => [channel.key, channel.id])) as unknown as DemoChannelIds;
