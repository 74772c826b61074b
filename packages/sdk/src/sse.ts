import { MerxError } from './errors.js';
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy, sleep } from './transport.js';

export interface SseMessage {
  /** The `id:` in force for this message (the server's outbox seq), or null before any. */
  id: string | null;
  event: string;
  data: string;
}

/**
 * An incremental Server-Sent Events parser (the WHATWG event-stream rules): feed it text as it
 * arrives in arbitrary chunks; it calls `onMessage` per complete message and `onRetry` when the
 * server sets the reconnection delay. Comment lines (heartbeats) are skipped.
 */
export function createSseParser(
  onMessage: (message: SseMessage) => void,
  onRetry: (ms: number) => void = () => {},
): { push(chunk: string): void } {
  let buffer = '';
  let lastId: string | null = null;
  let event = '';
  let data: string[] = [];
  let pendingCr = false;

  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onMessage({ id: lastId, event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) lastId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) onRetry(Number(value));
  };

  return {
    push(chunk) {
      let text = chunk;
      // A CRLF split across two chunks: the LF belongs to the CR already handled.
      if (pendingCr && text.startsWith('\n')) text = text.slice(1);
      pendingCr = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const char = buffer[i];
        if (char !== '\n' && char !== '\r') continue;
        line(buffer.slice(start, i));
        if (char === '\r') {
          if (i + 1 === buffer.length) pendingCr = true;
          else if (buffer[i + 1] === '\n') i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
  };
}

export interface StreamOptions {
  url: string;
  fetch: (request: Request) => Promise<Response>;
  /** Headers for each (re)connection: keys and the session may change between them. */
  headers: () => Record<string, string>;
  onMessage: (message: SseMessage) => void;
  /**
   * A refusal (4xx before the stream opens, or an `error` message from the server) ends the
   * stream; the error says why. Network drops and 5xx are retried and never reported here.
   */
  onError?: (error: MerxError) => void;
  /** Called each time the stream (re)opens. */
  onOpen?: () => void;
  retry?: RetryPolicy;
}

/**
 * Follows an SSE endpoint over fetch (so it can send `Authorization` and `X-Customer-Token`,
 * which EventSource cannot) and reconnects after drops with `Last-Event-ID`, so the server
 * replays exactly what was missed. Returns a function that closes it for good.
 */
export function followStream(options: StreamOptions): () => void {
  const controller = new AbortController();
  const policy = options.retry ?? { ...DEFAULT_RETRY, retries: Number.POSITIVE_INFINITY };
  let lastEventId: string | null = null;
  let serverRetryMs = 1_000;
  let failures = 0;

  const connectOnce = async (): Promise<'ended' | 'refused'> => {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers() };
    if (lastEventId !== null) headers['last-event-id'] = lastEventId;
    const response = await options.fetch(
      new Request(options.url, { headers, signal: controller.signal, cache: 'no-store' }),
    );
    if (!response.ok || !response.body) {
      const body = await response.text().catch(() => '');
      let parsed: unknown = body;
      try {
        parsed = JSON.parse(body);
      } catch {}
      const error = MerxError.fromResponse(response, parsed);
      if (response.status >= 500 || response.status === 429) throw error;
      options.onError?.(error);
      return 'refused';
    }
    failures = 0;
    options.onOpen?.();
    let refused = false;
    const parser = createSseParser(
      (message) => {
        if (message.id !== null) lastEventId = message.id;
        if (message.event === 'error') {
          refused = true;
          let problem: unknown = message.data;
          try {
            problem = JSON.parse(message.data);
          } catch {}
          const status = (problem as { status?: unknown })?.status;
          options.onError?.(
            MerxError.fromResponse(
              new Response(null, { status: typeof status === 'number' ? status : 400 }),
              problem,
            ),
          );
          return;
        }
        options.onMessage(message);
      },
      (ms) => {
        serverRetryMs = ms;
      },
    );
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      while (!refused) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
    return refused ? 'refused' : 'ended';
  };

  (async () => {
    while (!controller.signal.aborted) {
      try {
        if ((await connectOnce()) === 'refused') return;
      } catch {
        if (controller.signal.aborted) return;
        failures++;
      }
      if (controller.signal.aborted) return;
      const wait = failures === 0 ? serverRetryMs : Math.max(serverRetryMs, backoffDelay(failures, policy));
      await sleep(wait, controller.signal).catch(() => {});
    }
  })();

  return () => controller.abort();
}
