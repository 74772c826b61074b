import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** W3C Trace Context of one request: the caller's trace (or a new one) and this server's span. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  /** The caller's span when a valid `traceparent` came in. */
  parentSpanId: string | null;
  sampled: boolean;
}

/** Plug an OpenTelemetry SDK (or anything else) in here; both hooks are optional. */
export interface TracingHooks {
  onRequestStart?(request: FastifyRequest, trace: TraceContext): void;
  onRequestEnd?(request: FastifyRequest, reply: FastifyReply, trace: TraceContext): void;
}

declare module 'fastify' {
  interface FastifyRequest {
    trace: TraceContext;
  }
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ALL_ZERO = /^0+$/;

export function parseTraceparent(header: unknown): Omit<TraceContext, 'spanId'> | null {
  if (typeof header !== 'string') return null;
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!match || ALL_ZERO.test(match[1]) || ALL_ZERO.test(match[2])) return null;
  return { traceId: match[1], parentSpanId: match[2], sampled: (Number.parseInt(match[3], 16) & 1) === 1 };
}

export function formatTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.sampled ? '01' : '00'}`;
}

const hooks: TracingHooks[] = [];

/** Adds tracing hooks for every app in this process (call before the app starts). */
export function addTracingHooks(extra: TracingHooks): () => void {
  hooks.push(extra);
  return () => hooks.splice(hooks.indexOf(extra), 1);
}

/**
 * Continues the caller's W3C trace (`traceparent`) or starts one, puts `trace_id` and
 * `span_id` on every log line of the request, and answers with this server's
 * `traceparent`, so logs, proxies and an APM line up without an SDK in the engine.
 */
export function registerTracing(app: FastifyInstance): void {
  app.decorateRequest('trace', null as never);
  app.addHook('onRequest', async (request, reply) => {
    const incoming = parseTraceparent(request.headers.traceparent);
    const trace: TraceContext = {
      traceId: incoming?.traceId ?? randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      parentSpanId: incoming?.parentSpanId ?? null,
      sampled: incoming?.sampled ?? false,
    };
    request.trace = trace;
    request.log = request.log.child({ trace_id: trace.traceId, span_id: trace.spanId });
    reply.header('traceparent', formatTraceparent(trace));
    for (const hook of hooks) hook.onRequestStart?.(request, trace);
  });
  app.addHook('onResponse', async (request, reply) => {
    for (const hook of hooks) hook.onRequestEnd?.(request, reply, request.trace);
  });
}
