import * as openpgp from 'openpgp';
import { sha256 } from '../../platform/ids.js';
import { isUiLanguage, t, type UiLanguage } from '../../platform/i18n.js';
import type { Marking } from '../../platform/access/policy.js';
import type { OutgoingMail } from '../../platform/mail.js';

/** The mail of a communication check, at launch and as a reminder, and the token its link carries. */

export const hashToken = (token: string) => sha256(token);

/** The contact's first UI language among its languages, else English. */
export function languageOf(languages: string[]): UiLanguage {
  return (languages.find((l) => isUiLanguage(l)) as UiLanguage | undefined) ?? 'en';
}

const ackLink = (baseUrl: string, token: string) => `${baseUrl.replace(/\/$/, '')}/ack?token=${encodeURIComponent(token)}`;

/** Encrypt a text to an armoured OpenPGP public key (inline armoured body). Null when the key cannot encrypt. */
export async function encryptTo(armoredKey: string, text: string): Promise<string | null> {
  try {
    const key = await openpgp.readKey({ armoredKey });
    const message = await openpgp.createMessage({ text });
    return (await openpgp.encrypt({ message, encryptionKeys: key, format: 'armored' })) as string;
  } catch {
    return null;
  }
}

interface TargetMail {
  to: string;
  /** The marking of the contact's address (never wider than the entry): the mail names the contact and goes to that address. */
  marking: Marking;
  lang: UiLanguage;
  key: string | null;
  name: string;
  title: string;
  message: string;
  deadline: Date;
  token: string;
}

/**
 * The mail for one target. With a usable key the whole body (message and link)
 * is an inline armoured OpenPGP message and the subject names no title.
 */
export async function buildMail(baseUrl: string, kind: 'communication_check' | 'communication_check_reminder', m: TargetMail): Promise<{ mail: OutgoingMail; encrypted: boolean }> {
  const vars = { name: m.name, title: m.title, message: m.message, deadline: m.deadline.toISOString().replace('T', ' ').slice(0, 16) + ' UTC', link: ackLink(baseUrl, m.token) };
  const text = t(m.lang, `mail.${kind}.body`, vars);
  // The acknowledgement link is a personal credential, valid until the check closes.
  const content = { marking: m.marking, credentialUntil: m.deadline };
  if (m.key) {
    const armored = await encryptTo(m.key, text);
    if (armored) return { mail: { to: m.to, subject: t(m.lang, `mail.${kind}.subject_encrypted`, vars), text: armored, purpose: kind, content }, encrypted: true };
  }
  return { mail: { to: m.to, subject: t(m.lang, `mail.${kind}.subject`, vars), text, purpose: kind, content }, encrypted: false };
}
