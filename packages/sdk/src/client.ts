import createClient, { type Client, type FetchResponse, type MaybeOptionalInit } from 'openapi-fetch';
import type { HttpMethod, MediaType, PathsWithMethod, RequiredKeysOf } from 'openapi-typescript-helpers';
import { MerxError } from './errors.js';
import type { paths } from './schema.js';
import { DEFAULT_RETRY, type RetryPolicy, resilientFetch } from './transport.js';

// Same shape as openapi-fetch's own: the init argument is optional when nothing in it is required.
type InitParam<Init> =
  RequiredKeysOf<Init> extends never
    ? [(Init & { [key: string]: unknown })?]
    : [Init & { [key: string]: unknown }];

/** A typed call that resolves to the success body and throws `MerxError` for anything else. */
export type Call<Method extends HttpMethod> = <
  Path extends PathsWithMethod<paths, Method>,
  Init extends MaybeOptionalInit<paths[Path], Method>,
>(
  url: Path,
  ...init: InitParam<Init>
) => Promise<Exclude<FetchResponse<paths[Path][Method] & {}, Init, MediaType>['data'], undefined>>;

export interface TypedClient {
  get: Call<'get'>;
  post: Call<'post'>;
  put: Call<'put'>;
  patch: Call<'patch'>;
  delete: Call<'delete'>;
  /** The underlying openapi-fetch client (`{ data, error, response }` results, no throwing). */
  raw: Client<paths>;
  /** The resilient fetch the client sends through (for streams and custom calls). */
  fetch: (request: Request) => Promise<Response>;
}

export interface CoreOptions {
  baseUrl: string;
  /** Headers added to every request, read at request time. */
  headers: () => Record<string, string>;
  fetch?: (request: Request) => Promise<Response>;
  retry?: Partial<RetryPolicy>;
}

async function unwrap(call: Promise<{ data?: unknown; error?: unknown; response: Response }>) {
  const { data, error, response } = await call;
  if (!response.ok) throw MerxError.fromResponse(response, error);
  return data;
}

export function createTypedClient(options: CoreOptions): TypedClient {
  // Late-bound so a test (or a polyfill) replacing globalThis.fetch is honoured.
  const base = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const fetch = resilientFetch(base, { ...DEFAULT_RETRY, ...options.retry });
  const raw = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/+$/, ''), fetch });
  raw.use({
    onRequest({ request }) {
      for (const [name, value] of Object.entries(options.headers())) request.headers.set(name, value);
      return request;
    },
  });
  const method =
    (name: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE') =>
    (url: string, ...init: unknown[]) =>
      unwrap((raw[name] as (url: string, ...init: unknown[]) => Promise<never>)(url, ...init));
  return {
    get: method('GET') as never,
    post: method('POST') as never,
    put: method('PUT') as never,
    patch: method('PATCH') as never,
    delete: method('DELETE') as never,
    raw,
    fetch,
  };
}
