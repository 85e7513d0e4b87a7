/**
 * Typed errors with stable machine codes, from the one list in src/shared/error-codes.ts
 * (a code not in it is a type error). The error handler (http.ts) turns these into
 * `{ "error": { "code", "message", "details" } }`; anything else becomes a 500
 * with code INTERNAL and no internals.
 */
import { ERROR_CODES, type ErrorCode } from '#shared/error-codes';

export { ERROR_CODES, type ErrorCode };

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_CODES[code].status;
  }
  /** Fastify and its plugins read statusCode. */
  get statusCode() {
    return this.status;
  }
}

export const notFound = (what = 'Resource') => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'You may not do this') => new AppError('FORBIDDEN', message);
export const invalidState = (message: string, details?: unknown) => new AppError('INVALID_STATE', message, details);
