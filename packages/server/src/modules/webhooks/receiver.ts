import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** Status codes to answer, in order; `hang` never answers; afterwards 200. */
  script: Array<number | 'hang'>;
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1 for tests and the bench: records requests, answers as scripted. */
export async function startReceiver(script: Array<number | 'hang'> = []): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<http.ServerResponse>();
  const receiver = { received, script } as Receiver;
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body, at: Date.now() });
      const next = receiver.script.shift() ?? 200;
      if (next === 'hang') return void hanging.add(response);
      response.writeHead(next, { 'content-type': 'text/plain' }).end(next < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () =>
    new Promise((resolve) => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
