import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Executor } from '../db/database.js';
import { listApiKeys } from '../modules/channels/keys.js';
import { listChannels } from '../modules/channels/service.js';

/** A built single-page head (storefront, dashboard…) served by the API process. */
export interface HeadSite {
  /** Where it is mounted: `/` or e.g. `/admin`. */
  prefix: string;
  /** Its build output (index.html and assets); a missing folder answers 404 until it is built. */
  distDir: string;
  /** An optional JSON document the head reads at start (e.g. its publishable key). */
  config?: { path: string; build: (request: FastifyRequest) => Promise<unknown> };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

// API surfaces keep their own problem+json 404s: a head's fallback must never answer for them.
const API_PATHS = /^\/(store|admin)\/v\d+(\/|$)|^\/payments\//;

// Bundlers put a content hash in asset names: such a file never changes under its name.
const HASHED_ASSET = /-[A-Z0-9]{8,}\.[a-z0-9]+$/i;

async function fileIn(root: string, relative: string): Promise<string | null> {
  const path = resolve(root, `.${sep}${relative}`);
  if (path !== root && !path.startsWith(root + sep)) return null;
  const info = await stat(path).catch(() => null);
  return info?.isFile() ? path : null;
}

/** A head's build may put `<file>.gz` beside a file: sent as is to browsers that accept gzip. */
async function sendFile(request: FastifyRequest, reply: FastifyReply, path: string, cacheControl: string) {
  reply
    .type(CONTENT_TYPES[extname(path)] ?? 'application/octet-stream')
    .header('cache-control', cacheControl)
    .header('x-content-type-options', 'nosniff')
    .header('vary', 'accept-encoding');
  const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const compressed = acceptsGzip ? await readFile(`${path}.gz`).catch(() => null) : null;
  if (compressed) return reply.header('content-encoding', 'gzip').send(compressed);
  return reply.send(await readFile(path));
}

/**
 * Serves each head's files under its prefix, with the single-page fallback: a browser
 * navigation (Accept: text/html) to any other path under the prefix gets index.html, so
 * client-side routes survive a reload. Hidden from the OpenAPI document: not API.
 */
export function registerHeadSites(app: FastifyInstance, sites: HeadSite[]): void {
  for (const site of sites) {
    const root = resolve(site.distDir);
    const prefix = site.prefix.replace(/\/+$/, '');
    if (site.config) {
      const build = site.config.build;
      app.get(site.config.path, { schema: { hide: true } }, async (request, reply) => {
        reply.header('cache-control', 'no-cache');
        return build(request);
      });
    }
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      let path: string;
      try {
        path = decodeURIComponent(request.url.split('?')[0]);
      } catch {
        return reply.callNotFound();
      }
      if (API_PATHS.test(path)) return reply.callNotFound();
      const relative = path.slice(prefix.length).replace(/^\/+/, '') || 'index.html';
      const file = await fileIn(root, relative);
      if (file) {
        const cache = HASHED_ASSET.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
        return sendFile(request, reply, file, cache);
      }
      const index = await fileIn(root, 'index.html');
      const isNavigation = (request.headers.accept ?? '').includes('text/html');
      if (!index || !isNavigation || extname(relative) !== '') return reply.callNotFound();
      return sendFile(request, reply, index, 'no-cache');
    };
    if (prefix !== '') app.get(prefix, { schema: { hide: true } }, handler);
    app.get(`${prefix}/*`, { schema: { hide: true } }, handler);
  }
}

/** The first active publishable key of the first channel of `kind` (channels in creation order). */
export async function publishableKeyOf(db: Executor, kind: string) {
  const channel = (await listChannels(db)).find((row) => row.kind === kind);
  if (!channel) return null;
  const key = (await listApiKeys(db)).find(
    (row) => row.channel_id === channel.id && row.kind === 'publishable' && !row.revoked_at,
  );
  return key?.publishable_token ? { channel, key: key.publishable_token } : null;
}

const packagesDir = resolve(import.meta.dirname, '../../..');

/**
 * The heads shipped in this repository. The storefront learns its publishable key (the first
 * `web` channel's) and the API's address from `/storefront-config.json`, never from its build.
 */
export function bundledHeadSites(db: Executor): HeadSite[] {
  return [
    {
      prefix: '/',
      distDir: join(packagesDir, 'storefront', 'dist'),
      config: {
        path: '/storefront-config.json',
        async build(request) {
          const web = await publishableKeyOf(db, 'web');
          return {
            api_base_url: `${request.protocol}://${request.host}`,
            publishable_key: web?.key ?? null,
            channel: web ? { id: web.channel.id, name: web.channel.name } : null,
          };
        },
      },
    },
    // The merchant dashboard: hash routes, so every path under `/admin/v1` stays the API's.
    { prefix: '/admin', distDir: join(packagesDir, 'admin', 'dist') },
  ];
}
