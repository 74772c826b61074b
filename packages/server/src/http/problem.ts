import type { FastifyError, FastifyInstance } from 'fastify';

export interface FieldError {
  /** JSON pointer-ish path of the offending field, e.g. `/body/variants/0/sku`. */
  field: string;
  message: string;
}

/**
 * Every failure a client can cause is one of these; the error handler renders it as
 * RFC 9457 problem+json. `code` is the stable machine-readable part clients branch on.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string, id?: string) =>
  new ApiError(404, 'not_found', id ? `${what} ${id} was not found` : `${what} was not found`);

export const conflict = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new ApiError(409, code, message, extra);

export const invalid = (message: string, errors: FieldError[] = [], code = 'validation_failed') =>
  new ApiError(422, code, message, { errors });

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function problemBody(
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
) {
  return {
    type: `https://merx.dev/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...extra,
  };
}

function validationErrors(error: FastifyError): FieldError[] {
  const context = error.validationContext ?? 'body';
  const byField = new Map<string, { messages: string[]; allowed: unknown[] }>();
  for (const issue of error.validation ?? []) {
    const params = issue.params as Record<string, unknown>;
    let field = `/${context}${issue.instancePath}`;
    if (issue.keyword === 'additionalProperties') field += `/${String(params.additionalProperty)}`;
    if (issue.keyword === 'required') field += `/${String(params.missingProperty)}`;
    const entry = byField.get(field) ?? { messages: [], allowed: [] };
    byField.set(field, entry);
    // A union of literals fails once per literal: fold those into one "must be one of".
    if (issue.keyword === 'const') entry.allowed.push(params.allowedValue);
    else if (issue.keyword === 'enum') entry.allowed.push(...(params.allowedValues as unknown[]));
    else if (issue.keyword === 'additionalProperties') entry.messages.push('is not a known field');
    else if (issue.keyword !== 'anyOf' && issue.keyword !== 'oneOf')
      entry.messages.push(issue.message ?? 'is invalid');
  }
  return [...byField].map(([field, { messages, allowed }]) => ({
    field,
    message:
      allowed.length > 0
        ? `must be one of: ${allowed.map((value) => JSON.stringify(value)).join(', ')}`
        : messages.length > 0
          ? [...new Set(messages)].join('; ')
          : 'does not match any allowed shape',
  }));
}

// Known Fastify error codes that are the client's fault, mapped to stable Merx codes.
const CLIENT_ERRORS: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length' },
};

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    reply.type('application/problem+json');
    if (error instanceof ApiError) {
      return reply
        .status(error.status)
        .send(problemBody(error.status, error.code, error.message, error.extra));
    }
    if (error.validation) {
      const errors = validationErrors(error);
      const detail = errors.map((e) => `${e.field} ${e.message}`).join('; ');
      return reply.status(400).send(problemBody(400, 'invalid_request', detail, { errors }));
    }
    const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
    if (known) return reply.status(known.status).send(problemBody(known.status, known.code, error.message));
    if (error.statusCode === 429) {
      return reply.status(429).send(problemBody(429, 'rate_limited', error.message));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send(problemBody(error.statusCode, 'bad_request', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(problemBody(500, 'internal_error', 'An unexpected error occurred'));
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .type('application/problem+json')
      .send(problemBody(404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
}
