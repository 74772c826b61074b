import http from 'node:http';

export interface ReceivedMessage {
  id: string | null;
  event: string;
  data: string;
  /** performance.now() when the message was complete. */
  receivedAt: number;
}

export interface SseConnection {
  status: number;
  messages: ReceivedMessage[];
  /** Resolves when `count` messages matching `predicate` have arrived. */
  waitFor(
    count: number,
    predicate?: (message: ReceivedMessage) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedMessage[]>;
  comments: number;
  close(): void;
  closed: Promise<void>;
}

/**
 * A minimal Server-Sent Events client over node:http (tests and the bench: no browser
 * EventSource in Node 20). Parses `id:`, `event:`, `data:` and comment lines.
 */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      { headers: { accept: 'text/event-stream', ...headers }, agent: false },
      (response) => {
        const messages: ReceivedMessage[] = [];
        const waiters: Array<() => void> = [];
        let buffer = '';
        let closedResolve: () => void = () => {};
        const closed = new Promise<void>((done) => (closedResolve = done));
        const connection: SseConnection = {
          status: response.statusCode ?? 0,
          messages,
          comments: 0,
          waitFor(count, predicate = () => true, timeoutMs = 10_000) {
            return new Promise((done, fail) => {
              const check = () => {
                const matching = messages.filter(predicate);
                if (matching.length >= count) {
                  clearTimeout(timer);
                  waiters.splice(waiters.indexOf(check), 1);
                  done(matching);
                }
              };
              const timer = setTimeout(() => {
                waiters.splice(waiters.indexOf(check), 1);
                fail(new Error(`timed out with ${messages.filter(predicate).length}/${count} messages`));
              }, timeoutMs);
              waiters.push(check);
              check();
            });
          },
          close: () => {
            request.destroy();
          },
          closed,
        };
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
            const message: ReceivedMessage = {
              id: null,
              event: 'message',
              data: '',
              receivedAt: performance.now(),
            };
            let hasData = false;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) connection.comments++;
              else if (line.startsWith('id: ')) message.id = line.slice(4);
              else if (line.startsWith('event: ')) message.event = line.slice(7);
              else if (line.startsWith('data: ')) {
                message.data += (hasData ? '\n' : '') + line.slice(6);
                hasData = true;
              }
            }
            if (hasData) messages.push(message);
          }
          for (const waiter of [...waiters]) waiter();
        });
        response.on('close', closedResolve);
        response.on('error', closedResolve);
        resolve(connection);
      },
    );
    request.on('error', reject);
  });
}
