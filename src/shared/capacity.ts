/**
 * Code lists of the capacity-building workstream (issue 12) as server and web agree on them:
 * offers, requests, matching and the IATI export read them from here. Codes are hyphenated on the
 * wire and stored as text, so that a new code is an edit here and in a CHECK, not a type change.
 */

/** The kinds of offer the charter names (takeaways 2, 7 and 11c), from courses to expert missions. */
export const OFFER_TYPES = [
  'training-course',
  'summer-school',
  'exercise-tabletop',
  'exercise-technical',
  'study-visit',
  'assistance-strategy',
  'assistance-legislation',
  'assistance-national-agency',
  'assistance-csirt-soc',
  'assistance-technology-transfer',
  'expert-mission',
  'fellowship',
  'webinar',
] as const;
export type OfferType = (typeof OFFER_TYPES)[number];

/** How an offer is delivered; a request's preferred format uses the same codes so they compare. */
export const OFFER_FORMATS = ['online', 'in-person', 'hybrid'] as const;
export type OfferFormat = (typeof OFFER_FORMATS)[number];

/** Who an offer is for, in the charter's words (takeaways 2 and 11c). */
export const TARGET_AUDIENCES = [
  'mfa-points-of-contact',
  'cyber-ambassadors',
  'csirt-staff',
  'officials',
  'private-sector',
  'civil-society',
  'youth',
] as const;
export type TargetAudience = (typeof TARGET_AUDIENCES)[number];

/**
 * A partner's role in IATI's OrganisationRole codelist: recording them this way lets triangular
 * cooperation (an EU funder with a LAC implementer for a third country) show up as such in IATI.
 */
export const IATI_ORGANISATION_ROLES = { funding: '1', accountable: '2', extending: '3', implementing: '4' } as const;
export type PartnerRole = keyof typeof IATI_ORGANISATION_ROLES;
export const PARTNER_ROLES = Object.keys(IATI_ORGANISATION_ROLES) as PartnerRole[];

/** The life of a demand-based assistance request, each step timestamped for its timeline. */
export const REQUEST_STATUSES = ['submitted', 'triaged', 'open', 'matched', 'in-delivery', 'completed', 'evaluated'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** How soon a requester needs help; the secretariat triages the critical ones first. */
export const URGENCIES = ['low', 'normal', 'high', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

/**
 * An application to an offer session (features/applications): submitted, or first endorsed by the
 * applicant's organisation admin or national focal point when the offer asks for it; then selected
 * (a seat), waitlisted or not selected by the provider; withdrawn by the applicant.
 */
export const APPLICATION_STATUSES = ['submitted', 'endorsement-pending', 'endorsed', 'endorsement-refused', 'selected', 'waitlisted', 'not-selected', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** How a provider selects: in order of arrival, or by its stated criteria (everyone waits for its decision). */
export const SELECTION_MODES = ['first-come', 'by-criteria'] as const;
export type SelectionMode = (typeof SELECTION_MODES)[number];

/** Self-declared and optional; used only in the outcomes' aggregate counts. */
export const GENDERS = ['woman', 'man', 'non-binary', 'prefer-not-to-say'] as const;
export type Gender = (typeof GENDERS)[number];

/** What an expert of the pool does on an offer session (features/staffing), and where the proposal stands. */
export const STAFF_ROLES = ['trainer', 'facilitator', 'expert'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const STAFF_STATUSES = ['proposed', 'confirmed', 'declined'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];
