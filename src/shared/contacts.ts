/** What the server and the web app agree on about points of contact. */

/** Kinds of secure channel a point of contact can list (the vCard IMPP scheme or a "type: address" line). */
export const CHANNEL_TYPES = ['signal', 'threema', 'matrix', 'wire', 'secure_phone', 'other'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export const isChannelType = (x: unknown): x is ChannelType => typeof x === 'string' && (CHANNEL_TYPES as readonly string[]).includes(x);
