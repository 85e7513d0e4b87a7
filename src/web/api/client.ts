/**
 * The one way the web app talks to the API: JSON in and out, the CSRF header on
 * every non-GET request, the error envelope parsed into an ApiError, and a 401
 * (or 403 MFA_ENROLMENT_REQUIRED) handed to the session so it can send the
 * person to sign in (or to MFA set-up).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const CREDENTIAL_ERRORS = new Set(['INVALID_CREDENTIALS', 'INVALID_MFA_CODE', 'MFA_REQUIRED', 'INVALID_PASSWORD']);

let csrfToken: string | null = null;
type Handler = (error: ApiError) => void;
let onUnauthorized: Handler | null = null;
let onMfaEnrolmentRequired: Handler | null = null;

export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

export function setAuthHandlers(handlers: { unauthorized?: Handler; mfaEnrolmentRequired?: Handler }): void {
  onUnauthorized = handlers.unauthorized ?? null;
  onMfaEnrolmentRequired = handlers.mfaEnrolmentRequired ?? null;
}

export interface RequestOptions {
  /** Do not hand a 401 to the session (sign-in, public pages, the first GET /me). */
  quiet401?: boolean;
  signal?: AbortSignal;
}

/** A body sent as it is, with its own media type (a Markdown record, a CSV file), not as JSON. */
export class TextBody {
  constructor(
    readonly text: string,
    readonly contentType: string,
  ) {}
}

export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = body instanceof TextBody ? body.contentType : 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : body instanceof TextBody ? body.text : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK_ERROR', (err as Error)?.message ?? 'network error');
  }
  if (response.status === 204 || response.status === 205) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) {
    const envelope = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const retry = Number(response.headers.get('Retry-After'));
    const error = new ApiError(
      response.status,
      envelope?.code ?? `HTTP_${response.status}`,
      envelope?.message ?? response.statusText,
      envelope?.details,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
    // A 401 that is about a wrong password or code (e.g. POST /me/mfa/enable, /me/mfa/disable)
    // does not mean the session is gone.
    if (response.status === 401 && !options.quiet401 && !CREDENTIAL_ERRORS.has(error.code)) onUnauthorized?.(error);
    if (response.status === 403 && error.code === 'MFA_ENROLMENT_REQUIRED') onMfaEnrolmentRequired?.(error);
    throw error;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body ?? {}, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, body ?? {}, options),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, body ?? {}, options),
  del: <T = void>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};

export function qs(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}
