/**
 * What to tell the person about a failed request, in their language. The server's error
 * envelope is `{ error: { code, message, details } }` (src/shared/error-codes.ts): its
 * `message` is technical English, so the person is told by `code` (errors.<CODE>), and a
 * VALIDATION_FAILED names the field that is wrong (errors.fields.<name>) and what is wrong
 * with it (errors.validation.*), from the validator's rule (`details.errors[].keyword`) or
 * the field the service names (`details.field`).
 */
import type { TFunction } from 'i18next';
import { ERROR_CODE_LIST } from '#shared/error-codes';
import { ApiError } from '../api/client';

/**
 * Codes the web app gives errors of its own and the server never sends: a request that got no
 * answer at all. Kept apart from the server's list so that neither is mistaken for the other.
 */
export const CLIENT_ERROR_CODES = ['NETWORK_ERROR'] as const;

/** Every code an ApiError can carry; each has a message in errors.<CODE>. */
export const ERROR_MESSAGE_CODES = [...ERROR_CODE_LIST, ...CLIENT_ERROR_CODES];

const KNOWN = new Set<string>(ERROR_MESSAGE_CODES);

/** Input fields the server may name in a validation error; each has a label in errors.fields.<name>. */
export const FIELD_NAMES = [
  'acronym',
  'actions',
  'apiRootUrl',
  'armored',
  'asns',
  'audience',
  'availability',
  'awareAt',
  'basedOn',
  'body',
  'bundle',
  'code',
  'collectionId',
  'communication',
  'communities',
  'communityId',
  'conditions',
  'coordination',
  'countries',
  'country',
  'crossBorder',
  'currentPassword',
  'deadline',
  'description',
  'domains',
  'dueAt',
  'email',
  'emails',
  'emergencyPhone',
  'endedAt',
  'establishedOn',
  'exercise',
  'expiresInDays',
  'file',
  'filters',
  'firstSeen',
  'fullName',
  'impactOutlook',
  'impactSeverity',
  'improvements',
  'ipRanges',
  'kind',
  'kinds',
  'language',
  'languages',
  'lastSeen',
  'level',
  'logo',
  'machine',
  'marking',
  'mentions',
  'message',
  'name',
  'needs',
  'newPassword',
  'note',
  'objectives',
  'openpgpFingerprint',
  'openpgpKey',
  'operatingHours',
  'organisation',
  'organisationId',
  'organisations',
  'outcome',
  'outlook',
  'ownerOrganisationId',
  'ownerPersonId',
  'pap',
  'password',
  'people',
  'personId',
  'phone',
  'plannedAt',
  'pollIntervalMinutes',
  'position',
  'q',
  'reason',
  'relationship',
  'reminderHours',
  'role',
  'roles',
  'rootCause',
  'rsitClass',
  'secureChannels',
  'sector',
  'sectors',
  'sectorsServed',
  'sightingOf',
  'slug',
  'startedAt',
  'status',
  'stixId',
  'strengths',
  'subsectors',
  'summary',
  'text',
  'threatSeverity',
  'timeZone',
  'title',
  'tlp',
  'token',
  'translations',
  'uiLanguage',
  'urgency',
  'username',
  'usersAffected',
  'validUntil',
  'visibility',
  'wanted',
  'website',
] as const;

const FIELDS = new Set<string>(FIELD_NAMES);

export interface ValidationIssue {
  path?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

export interface ErrorMessageOptions {
  /** Said when a VALIDATION_FAILED names no field: the content sent (a file, a document) was refused as a whole. */
  invalidContent?: string;
}

/**
 * The input field a validation error is about: the last named step of a JSON pointer
 * ("/audience/organisations/0" → "organisations") or of a dotted name ("organisation.country"
 * → "country"); for a missing or unexpected property, that property. Null when there is none.
 */
export function fieldOf(issue: ValidationIssue | string | undefined): string | null {
  if (issue === undefined) return null;
  if (typeof issue !== 'string') {
    const prop = issue.params?.missingProperty ?? issue.params?.additionalProperty;
    if (typeof prop === 'string' && prop) return prop;
    return fieldOf(issue.path ?? '');
  }
  const steps = issue.split(/[/.]/).filter((s) => s !== '' && !/^\d+$/.test(s));
  return steps.length ? steps[steps.length - 1]! : null;
}

function fieldLabel(name: string, t: TFunction): string {
  return FIELDS.has(name) ? t(`errors.fields.${name}`) : name;
}

function numberParam(issue: ValidationIssue): number | undefined {
  const limit = issue.params?.limit;
  return typeof limit === 'number' ? limit : undefined;
}

/** One validation problem as a sentence: the field in words and what is wrong with it. */
function describeIssue(issue: ValidationIssue, t: TFunction): string | null {
  const name = fieldOf(issue);
  if (!name) return null;
  const field = fieldLabel(name, t);
  const limit = numberParam(issue);
  switch (issue.keyword) {
    case 'required':
      return t('errors.validation.required', { field });
    case 'minLength':
      return limit !== undefined && limit > 1 ? t('errors.validation.tooShort', { field, count: limit }) : t('errors.validation.required', { field });
    case 'maxLength':
      return limit !== undefined ? t('errors.validation.tooLong', { field, count: limit }) : t('errors.validation.invalid', { field });
    case 'minItems':
      return limit !== undefined ? t('errors.validation.tooFew', { field, count: limit }) : t('errors.validation.invalid', { field });
    case 'maxItems':
      return limit !== undefined ? t('errors.validation.tooMany', { field, count: limit }) : t('errors.validation.invalid', { field });
    case 'minimum':
    case 'exclusiveMinimum':
      return limit !== undefined ? t('errors.validation.tooSmall', { field, limit }) : t('errors.validation.invalid', { field });
    case 'maximum':
    case 'exclusiveMaximum':
      return limit !== undefined ? t('errors.validation.tooLarge', { field, limit }) : t('errors.validation.invalid', { field });
    case 'format':
      return issue.params?.format === 'email' ? t('errors.validation.email', { field }) : t('errors.validation.format', { field });
    case 'additionalProperties':
      return t('errors.validation.unexpected', { field });
    default:
      return t('errors.validation.invalid', { field });
  }
}

/** The sentences for a VALIDATION_FAILED: one per field (at most three), or null when no field is named. */
export function describeValidation(details: unknown, t: TFunction): string | null {
  const d = (details ?? {}) as { errors?: ValidationIssue[]; field?: unknown };
  const sentences: string[] = [];
  const seen = new Set<string>();
  for (const issue of Array.isArray(d.errors) ? d.errors : []) {
    const name = fieldOf(issue);
    if (!name || seen.has(name)) continue;
    const sentence = describeIssue(issue, t);
    if (sentence) {
      seen.add(name);
      sentences.push(sentence);
    }
    if (sentences.length === 3) break;
  }
  if (!sentences.length && typeof d.field === 'string') {
    const name = fieldOf(d.field);
    if (name) sentences.push(t('errors.validation.invalid', { field: fieldLabel(name, t) }));
  }
  return sentences.length ? sentences.join(' ') : null;
}

/** The message for any error a request can end with, in the language of `t`. */
export function errorMessage(error: unknown, t: TFunction, options: ErrorMessageOptions = {}): string {
  if (!(error instanceof ApiError)) return t('errors.generic');
  let code = error.code;
  const details = error.details as { errors?: ValidationIssue[] } | undefined;
  // A malformed link token is, for the person holding the link, a dead link.
  const paths = (details?.errors ?? []).map((e) => e.path);
  if (code === 'VALIDATION_FAILED' && paths.length > 0 && paths.every((p) => p === '/token')) code = 'GONE';
  if (code === 'VALIDATION_FAILED') return describeValidation(error.details, t) ?? options.invalidContent ?? t('errors.VALIDATION_FAILED');
  if (code === 'ALREADY_EXISTS') {
    const name = fieldOf(typeof (error.details as { field?: unknown } | undefined)?.field === 'string' ? (error.details as { field: string }).field : undefined);
    if (name) return t('errors.validation.taken', { field: fieldLabel(name, t) });
  }
  if (code.startsWith('CSRF')) code = 'CSRF_FAILED';
  if (KNOWN.has(code)) {
    const base = t(`errors.${code}`);
    if ((code === 'LOGIN_THROTTLED' || code === 'RATE_LIMITED') && error.retryAfter) return `${base} ${t('errors.retryAfter', { count: error.retryAfter })}`;
    return base;
  }
  if (error.status >= 500) return t('errors.INTERNAL');
  return t('errors.generic');
}
