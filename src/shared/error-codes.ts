/**
 * The machine codes of the API's errors, `{ "error": { "code", "message", "details" } }`, with
 * their HTTP status. Clients rely on the codes: add new ones, never rename. The server can raise
 * only these (AppError takes an ErrorCode), the OpenAPI document lists them (the `Error` schema),
 * the table in docs/security-model.md#errors describes them, and the web app has a message for
 * each in every language; error-codes.test.ts holds the four together.
 */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, description: 'The request cannot be handled as sent.' },
  BUNDLE_REJECTED: { status: 400, description: 'Nothing in the STIX bundle could be stored; the results say why for each object.' },
  INVALID_MARKING: { status: 400, description: 'The TLP/audience combination is not allowed, or names unknown organisations, communities or people.' },
  INVALID_KEY: { status: 400, description: 'An OpenPGP key that cannot be read, or a private key where a public one belongs.' },
  WRONG_MFA_CODE: { status: 400, description: 'A wrong code while turning two-step sign-in on (not a sign-in failure).' },
  VALIDATION_FAILED: { status: 400, description: 'The body, query or path does not match the schema, or a field the service checks is not valid.' },
  CSV_MALFORMED: { status: 400, description: 'A CSV file that cannot be read, or team records that are not a JSON array.' },
  VCARD_MALFORMED: { status: 400, description: 'A vCard import that is not vCard text.' },
  IMPORT_INVALID: { status: 400, description: 'An import with row errors: nothing was written; the details list the rows.' },
  UNKNOWN_CONCEPT: { status: 400, description: 'A concept tag that names no concept of the vocabularies (scheme/concept), or one withdrawn.' },
  INVALID_JSON: { status: 400, description: 'The body is empty or not valid JSON.' },
  INVALID_TIME_ZONE: { status: 400, description: 'Not an IANA time zone (such as America/Santo_Domingo).' },
  OUTBOUND_ADDRESS_REFUSED: { status: 400, description: 'An outbound target resolves to a loopback, private, link-local or reserved address this installation does not allow.' },
  URI_TOO_LONG: { status: 414, description: 'A part of the path is longer than the server reads.' },
  HEADERS_TOO_LARGE: { status: 431, description: 'The request line and headers are larger than the server reads.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The body is not in a media type the endpoint takes.' },
  ATTACHMENT_TYPE_REFUSED: { status: 415, description: 'An attachment whose content is not on the allow-list or does not match its name.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The body is larger than allowed.' },
  REQUEST_TIMEOUT: { status: 408, description: 'The request did not arrive in time.' },
  UNAUTHENTICATED: { status: 401, description: 'Sign in first.' },
  INVALID_CREDENTIALS: { status: 401, description: 'Wrong e-mail or password.' },
  MFA_REQUIRED: { status: 401, description: 'The second sign-in step was sent without a pending first step.' },
  INVALID_MFA_CODE: { status: 401, description: 'Wrong TOTP or recovery code at sign-in.' },
  INVALID_TOKEN: { status: 401, description: 'Unknown, expired or revoked API token, or a malformed Authorization header.' },
  CSRF_FAILED: { status: 403, description: 'Missing or wrong X-CSRF-Token on a cookie-authenticated write.' },
  WRONG_PASSWORD: { status: 403, description: 'A signed-in person confirmed an action with the wrong password (not a sign-in failure).' },
  FORBIDDEN: { status: 403, description: 'Not allowed for this person.' },
  INSUFFICIENT_SCOPE: { status: 403, description: 'A read token was used to change something.' },
  MFA_ENROLMENT_REQUIRED: { status: 403, description: 'The organisation requires two-step sign-in; set it up first.' },
  ACCOUNT_DISABLED: { status: 403, description: 'The account is not active.' },
  ORGANISATION_NOT_APPROVED: { status: 403, description: "The person's organisation is not an approved member." },
  NOT_FOUND: { status: 404, description: 'No such thing, or not visible to this viewer.' },
  ALREADY_EXISTS: { status: 409, description: 'The thing exists already.' },
  INVALID_STATE: { status: 409, description: 'Not possible in the current state.' },
  ALREADY_REGISTERED: { status: 409, description: 'The person is registered for the event already (or is a delegate already).' },
  REGISTRATION_CLOSED: { status: 409, description: 'The event takes no registration now: not published, cancelled, over, closed, or its answers purged.' },
  CAPACITY_BELOW_CONFIRMED: { status: 409, description: "An event's capacity lower than the seats already given (confirmed and pending registrations, delegation quotas)." },
  DELEGATION_QUOTA_EXCEEDED: { status: 409, description: "More delegates than the delegation's quota, or a quota below the delegates already named." },
  EVENT_FULL: { status: 409, description: 'No seat is free for this confirmation or quota.' },
  REQUEST_INVALID_TRANSITION: { status: 409, description: 'An assistance request cannot move from its status to the one asked; the details name both and the steps allowed.' },
  ALREADY_APPLIED: { status: 409, description: 'The person has applied to this offer session already (one application per person and session).' },
  APPLICATIONS_CLOSED: { status: 409, description: 'The session takes no application now: the offer is not published, the deadline has passed, the session has begun or was cancelled.' },
  SESSION_FULL: { status: 409, description: 'No seat is free in the offer session (and it keeps no waitlist).' },
  GONE: { status: 410, description: 'The link has expired or was used.' },
  RATE_LIMITED: { status: 429, description: 'Too many requests; see Retry-After.' },
  LOGIN_THROTTLED: { status: 429, description: 'Too many failed sign-ins for this e-mail address from this client network; see Retry-After.' },
  INTERNAL: { status: 500, description: 'A fault on the server; logged, no details.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

