import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown to safe HTML, on the server: the one renderer for every Markdown text
 * Puente shows (discussion posts, STIX descriptions such as ATT&CK's). markdown-it
 * runs with raw HTML off (so `<script>` is text, never markup) and its link
 * validator refuses javascript:, vbscript:, file: and data: URLs; sanitize-html
 * then keeps only a strict allow-list of tags, attributes and URL schemes,
 * whatever markdown-it emitted. Links open with rel="noopener noreferrer nofollow".
 * No images: they would load from elsewhere (the CSP forbids that anyway).
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });
// Render images as their alt text rather than <img>.
md.renderer.rules.image = (tokens, idx) => md.utils.escapeHtml(tokens[idx]!.content);

const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'sup'];

const SANITISE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ['href', 'rel', 'title'], ol: ['start'], th: ['style'], td: ['style'] },
  allowedStyles: { th: { 'text-align': [/^(left|right|center)$/] }, td: { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow' } }),
  },
  exclusiveFilter: (frame) => frame.tag === 'a' && !frame.attribs.href,
};

/** ATT&CK's citation form: "(Citation: Source name)". */
const CITATION = /\(Citation: ([^()\n]{1,300})\)/g;
/** Private-use marks standing for a citation while markdown-it runs; never kept from the input. */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKS = /[\uE000\uE001]/g;

export interface MarkdownOptions {
  /**
   * Turns citations "(Citation: Name)" into numbered references: given the cited name,
   * the reference's number (1-based) and the anchor it links to, or null to leave the
   * citation as it is written.
   */
  cite?: (name: string) => { n: number; anchor: string } | null;
  /**
   * The level a `#` heading becomes (2 → h2, `##` → h3, …, at most h6): for text shown under a
   * page's own h1, so the page keeps one h1 and headings in order.
   */
  topHeading?: 1 | 2 | 3;
}

/** Shift markdown-it's headings (its own output: no raw HTML passes) down by `by` levels. */
const shiftHeadings = (html: string, by: number) => (by ? html.replace(/<(\/?)h([1-6])>/g, (_m, slash: string, n: string) => `<${slash}h${Math.min(6, Number(n) + by)}>`) : html);

export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  const { cite } = options;
  const by = (options.topHeading ?? 1) - 1;
  if (!cite) return sanitizeHtml(shiftHeadings(md.render(source), by), SANITISE);
  const cited: { n: number; anchor: string; name: string }[] = [];
  const marked = source.replace(MARKS, '').replace(CITATION, (whole, name: string) => {
    const ref = cite(name.trim());
    if (!ref) return whole;
    cited.push({ ...ref, name: name.trim() });
    return `${OPEN}${cited.length - 1}${CLOSE}`;
  });
  const html = md.render(marked).replace(/\uE000(\d+)\uE001/g, (_m, i: string) => {
    const c = cited[Number(i)]!;
    return `<sup><a href="#${md.utils.escapeHtml(c.anchor)}" title="${md.utils.escapeHtml(c.name)}">[${c.n}]</a></sup>`;
  });
  return sanitizeHtml(shiftHeadings(html, by), SANITISE);
}
