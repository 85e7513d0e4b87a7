import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown to safe HTML, on the server. markdown-it runs with raw HTML off (so
 * `<script>` is text, never markup) and its link validator refuses javascript:,
 * vbscript:, file: and data: URLs; sanitize-html then keeps only a strict
 * allow-list of tags, attributes and URL schemes, whatever markdown-it emitted.
 * Links open with rel="noopener noreferrer nofollow". No images: they would load
 * from elsewhere (the CSP forbids that anyway).
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });
// Render images as their alt text rather than <img>.
md.renderer.rules.image = (tokens, idx) => md.utils.escapeHtml(tokens[idx]!.content);

const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'];

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

export function renderMarkdown(source: string): string {
  return sanitizeHtml(md.render(source), SANITISE);
}

/** Any HTML to the same allow-list (for defence in depth on stored HTML). */
export function sanitise(html: string): string {
  return sanitizeHtml(html, SANITISE);
}
