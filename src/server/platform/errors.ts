/**
 * Typed errors with stable machine codes. Clients (and later issues) rely on the
 * codes: add new ones, never rename. The error handler in app.ts turns these into
 * `{ "error": { "code", "message", "details" } }`; anything else becomes a 500
 * with code INTERNAL and no internals.
 */
export const ERROR_CODES = {
  BAD_REQUEST: 400,
  BUNDLE_REJECTED: 400,
  INVALID_MARKING: 400,
  /** An OpenPGP key that cannot be read, or a private key where a public one belongs. */
  INVALID_KEY: 400,
  /** A wrong code while setting up two-step sign-in (not a sign-in failure). */
  WRONG_MFA_CODE: 400,
  VALIDATION_FAILED: 400,
  /** A CSV file that cannot be read (unbalanced quotes, unknown or missing columns, not UTF-8), or team records that are not a JSON array. */
  CSV_MALFORMED: 400,
  /** A vCard import that is not vCard text (no BEGIN:VCARD, a card that does not end, another kind of component). */
  VCARD_MALFORMED: 400,
  /** An import with row errors: nothing was written; the details list the rows. */
  IMPORT_INVALID: 400,
  INVALID_JSON: 400,
  /** An outbound target (a TAXII subscription's API root) that is, or resolves to, a loopback, private, link-local or reserved address the installation does not allow. */
  OUTBOUND_ADDRESS_REFUSED: 400,
  /** A path parameter (or the whole URL) longer than the server reads. */
  URI_TOO_LONG: 414,
  /** Request headers larger than the server reads (Node's limit, 16 KiB by default). */
  HEADERS_TOO_LARGE: 431,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** An attachment whose content (magic bytes) is not on the allow-list or does not match its name. */
  ATTACHMENT_TYPE_REFUSED: 415,
  PAYLOAD_TOO_LARGE: 413,
  /** The client did not send its whole request in time (Node's request timeout). */
  REQUEST_TIMEOUT: 408,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  MFA_REQUIRED: 401,
  INVALID_MFA_CODE: 401,
  INVALID_TOKEN: 401,
  CSRF_FAILED: 403,
  /** A signed-in person confirming an action with the wrong password (not a sign-in failure). */
  WRONG_PASSWORD: 403,
  FORBIDDEN: 403,
  INSUFFICIENT_SCOPE: 403,
  MFA_ENROLMENT_REQUIRED: 403,
  ACCOUNT_DISABLED: 403,
  ORGANISATION_NOT_APPROVED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  INVALID_STATE: 409,
  GONE: 410,
  RATE_LIMITED: 429,
  LOGIN_THROTTLED: 429,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_CODES[code];
  }
  /** Fastify and its plugins read statusCode. */
  get statusCode() {
    return this.status;
  }
}

export const notFound = (what = 'Resource') => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'You may not do this') => new AppError('FORBIDDEN', message);
export const invalidState = (message: string, details?: unknown) => new AppError('INVALID_STATE', message, details);
export const badRequest = (message: string, details?: unknown) => new AppError('BAD_REQUEST', message, details);
