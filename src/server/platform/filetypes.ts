/**
 * What an uploaded file really is, from its first bytes (magic numbers), not
 * from its name or the Content-Type the client claims. Only the types on the
 * allow-list are accepted, and the file name's extension must agree with the
 * content, so a PDF cannot be passed off as a PNG, nor HTML as text.
 */
export interface DetectedType {
  contentType: string;
  /** Extensions (lower case, no dot) a file of this type may carry. */
  extensions: string[];
}

const starts = (b: Buffer, sig: number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const ZIP_KINDS: { marker: string; type: DetectedType }[] = [
  { marker: 'word/', type: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] } },
  { marker: 'xl/', type: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] } },
  { marker: 'ppt/', type: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extensions: ['pptx'] } },
];

function zipKind(b: Buffer): DetectedType | null {
  // ODF: the first entry is an uncompressed file "mimetype" holding the media type.
  if (b.subarray(30, 38).toString('latin1') === 'mimetype' && b.subarray(38, 77).toString('latin1') === 'application/vnd.oasis.opendocument.text')
    return { contentType: 'application/vnd.oasis.opendocument.text', extensions: ['odt'] };
  // OOXML: entry names are stored in clear in the local headers and the central directory.
  const names = b.toString('latin1');
  if (!names.includes('[Content_Types].xml')) return null;
  for (const k of ZIP_KINDS) if (names.includes(k.marker)) return k.type;
  return null;
}

function isUtf8Text(b: Buffer): boolean {
  if (b.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

function isStix(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return o.type === 'bundle' && typeof o.id === 'string' && o.id.startsWith('bundle--');
}

export function extensionOf(name: string): string {
  const m = /\.([a-z0-9]{1,10})$/i.exec(name);
  return m ? m[1]!.toLowerCase() : '';
}

/** The type of the content if it is on the allow-list and agrees with the file name; null otherwise. */
export function detectType(b: Buffer, fileName: string): DetectedType | null {
  const ext = extensionOf(fileName);
  let t: DetectedType | null = null;
  if (starts(b, ascii('%PDF-'))) t = { contentType: 'application/pdf', extensions: ['pdf'] };
  else if (starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) t = { contentType: 'image/png', extensions: ['png'] };
  else if (starts(b, [0xff, 0xd8, 0xff])) t = { contentType: 'image/jpeg', extensions: ['jpg', 'jpeg'] };
  else if (starts(b, ascii('RIFF')) && starts(b, ascii('WEBP'), 8)) t = { contentType: 'image/webp', extensions: ['webp'] };
  else if (starts(b, ascii('GIF87a')) || starts(b, ascii('GIF89a'))) t = { contentType: 'image/gif', extensions: ['gif'] };
  else if (starts(b, [0x50, 0x4b, 0x03, 0x04])) t = zipKind(b);
  else if (isUtf8Text(b)) {
    if (ext === 'json') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(b.toString('utf8'));
      } catch {
        return null;
      }
      t = isStix(parsed) ? { contentType: 'application/stix+json;version=2.1', extensions: ['json'] } : { contentType: 'application/json', extensions: ['json'] };
    } else if (ext === 'csv') t = { contentType: 'text/csv; charset=utf-8', extensions: ['csv'] };
    else if (ext === 'txt' || ext === 'log' || ext === 'md') t = { contentType: 'text/plain; charset=utf-8', extensions: ['txt', 'log', 'md'] };
  }
  if (!t || !t.extensions.includes(ext)) return null;
  return t;
}
