/** One invalid field of a request, as the server's problem+json lists it. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * A problem+json answer (RFC 9457) from the Merx API, or a transport failure (`status` 0).
 * `code` is the stable machine-readable reason (`out_of_stock`, `payment_declined`, …);
 * `body` keeps every extension member the server sent (`current`, `variants`, `order_id`, …).
 */
export class MerxError extends Error {
  override readonly name = 'MerxError';
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly requestId: string | null;
  readonly body: Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    detail: string,
    options: { errors?: FieldError[]; requestId?: string | null; body?: Record<string, unknown> } = {},
  ) {
    super(`${status} ${code}: ${detail}`);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = options.errors ?? [];
    this.requestId = options.requestId ?? null;
    this.body = options.body ?? {};
  }

  /** Builds the error from a failed response and its parsed body (JSON or text). */
  static fromResponse(response: Response, body: unknown): MerxError {
    const problem = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const text = typeof body === 'string' && body.length > 0 ? body : null;
    const errors = Array.isArray(problem.errors)
      ? problem.errors.filter(
          (entry): entry is FieldError =>
            !!entry && typeof entry.field === 'string' && typeof entry.message === 'string',
        )
      : [];
    return new MerxError(
      response.status,
      typeof problem.code === 'string' ? problem.code : `http_${response.status}`,
      typeof problem.detail === 'string'
        ? problem.detail
        : (text ?? (response.statusText || `HTTP ${response.status}`)),
      { errors, requestId: response.headers.get('x-request-id'), body: problem },
    );
  }
}

export const isMerxError = (error: unknown, code?: string): error is MerxError =>
  error instanceof MerxError && (code === undefined || error.code === code);
