/**
 * Server-rendered HTML for the public portal: a tagged template that escapes every value it is
 * given unless the value is already `SafeHtml` (made by this module, or sanitised Markdown
 * marked as such by the caller). Nothing from a record reaches the page unescaped.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

type Value = SafeHtml | string | number | null | undefined | false | readonly Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Already safe HTML (sanitised server-side Markdown): said once, where it is made. */
export const trusted = (s: string) => new SafeHtml(s);

/**
 * schema.org JSON-LD in a data block: not executed, but `</script>` or `<!--` inside a string
 * would end the block early, so `<` is written as its JSON escape.
 */
export const jsonLd = (data: unknown) => new SafeHtml(`<script type="application/ld+json">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`);
