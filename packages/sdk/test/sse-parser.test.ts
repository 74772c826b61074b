import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from '../src/sse.js';

function parseAll(chunks: string[]) {
  const messages: SseMessage[] = [];
  const retries: number[] = [];
  const parser = createSseParser(
    (message) => messages.push(message),
    (ms) => retries.push(ms),
  );
  for (const chunk of chunks) parser.push(chunk);
  return { messages, retries };
}

const STREAM =
  'retry: 2000\n: connected\n\n' +
  'id: 7\nevent: cart.updated\ndata: {"a":1}\n\n' +
  ': heartbeat\n\n' +
  'data: line one\ndata:line two\n\n' +
  'id: 9\r\nevent: cart.snapshot\r\ndata: {"b":2}\r\n\r\n' +
  'event: ignored-without-data\n\n' +
  'id: 10\rdata: cr only\r\r';

const EXPECTED: SseMessage[] = [
  { id: '7', event: 'cart.updated', data: '{"a":1}' },
  { id: '7', event: 'message', data: 'line one\nline two' },
  { id: '9', event: 'cart.snapshot', data: '{"b":2}' },
  { id: '10', event: 'message', data: 'cr only' },
];

describe('SSE parser', () => {
  it('parses ids, event names, multi-line data, comments, retry and all three line endings', () => {
    const { messages, retries } = parseAll([STREAM]);
    expect(messages).toEqual(EXPECTED);
    expect(retries).toEqual([2000]);
  });

  it('gives the same messages however the bytes are split into chunks', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: STREAM.length - 1 }), { maxLength: 20 }),
        (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), STREAM.length];
          const chunks = points.slice(1).map((end, i) => STREAM.slice(points[i], end));
          expect(parseAll(chunks).messages).toEqual(EXPECTED);
        },
      ),
    );
  });

  it('keeps an incomplete message until its blank line arrives', () => {
    const { messages } = parseAll(['id: 1\ndata: {"partial"', ': true}\n']);
    expect(messages).toEqual([]);
    expect(parseAll(['id: 1\ndata: x\n', '\n']).messages).toEqual([{ id: '1', event: 'message', data: 'x' }]);
  });
});
