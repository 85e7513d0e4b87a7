/** What the server and the web app agree on about points of contact. */

/** The kinds of point of contact, in the order the directory lists them. */
export const CONTACT_KINDS = ['diplomatic', 'technical', 'operational_24_7', 'crisis_management', 'capacity_building'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
/** Kinds nominated by the country's national focal points (and approved by the secretariat). */
export const COUNTRY_KINDS = ['diplomatic', 'crisis_management'] as const satisfies readonly ContactKind[];
/** Kinds managed by the organisation's own admins. */
export const ORGANISATION_KINDS = ['technical', 'operational_24_7', 'capacity_building'] as const satisfies readonly ContactKind[];
export const isCountryKind = (k: string): boolean => (COUNTRY_KINDS as readonly string[]).includes(k);
/** The kinds the coverage map reports (issue 3 §6). */
export const COVERAGE_KINDS = ['diplomatic', 'technical', 'operational_24_7'] as const satisfies readonly ContactKind[];
export type CoverageKind = (typeof COVERAGE_KINDS)[number];

/** Fields that may be shared more narrowly than their entry (each may carry its own marking). */
export const CONTACT_FIELDS = ['emails', 'phone', 'emergencyPhone', 'availability', 'secureChannels', 'openpgpKey'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

export const CONTACT_STATUSES = ['nominated', 'active', 'rejected', 'removed'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

/** Kinds of secure channel a point of contact can list (the vCard IMPP scheme or a "type: address" line). */
export const CHANNEL_TYPES = ['signal', 'threema', 'matrix', 'wire', 'secure_phone', 'other'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export const isChannelType = (x: unknown): x is ChannelType => typeof x === 'string' && (CHANNEL_TYPES as readonly string[]).includes(x);

/** Lengths of an entry's text fields: the API's schema refuses longer, the form stops typing at them. */
export const CONTACT_LIMITS = {
  fullName: 200,
  position: 300,
  website: 500,
  availability: 500,
  phone: 40,
  channelAddress: 300,
} as const;

/** A telephone number as people write it (+, digits, spaces, brackets, dots, dashes, slashes). */
export const PHONE_PATTERN = '^\\+?[0-9 ().\\-/]{3,40}$';
/** An entry's website: an http(s) address without spaces. */
export const CONTACT_WEBSITE_PATTERN = '^https?://[^\\s]+$';
