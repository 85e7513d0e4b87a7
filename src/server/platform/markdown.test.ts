import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';

describe('Markdown renderer', () => {
  it('keeps raw HTML as text and refuses script URLs', () => {
    const html = renderMarkdown('**bold** <script>x()</script> [a](javascript:alert(1)) [b](https://example.org)');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/<script|href="javascript/);
    expect(html).toContain('<a href="https://example.org" rel="noopener noreferrer nofollow">b</a>');
  });

  it('turns citations into numbered in-page references only when asked, and only for names it knows', () => {
    const text = 'Seen in 2019. (Citation: Report A) Also (Citation: Unknown) and (Citation: Report B).';
    expect(renderMarkdown(text)).toContain('(Citation: Report A)');
    const n = new Map([
      ['Report A', 1],
      ['Report B', 2],
    ]);
    const html = renderMarkdown(text, { cite: (name) => (n.has(name) ? { n: n.get(name)!, anchor: `ref-${n.get(name)}` } : null) });
    expect(html).toContain('<sup><a href="#ref-1" title="Report A" rel="noopener noreferrer nofollow">[1]</a></sup>');
    expect(html).toContain('<sup><a href="#ref-2" title="Report B" rel="noopener noreferrer nofollow">[2]</a></sup>');
    expect(html).toContain('(Citation: Unknown)');
  });

  it('ignores marks in the text that look like its own placeholders, and escapes cited names', () => {
    const html = renderMarkdown('a \uE0000\uE001 b (Citation: <i>x</i> & "y")', { cite: () => ({ n: 1, anchor: 'ref-1' }) });
    expect(html).not.toMatch(/[\uE000\uE001]/);
    expect(html).toContain('title="&lt;i&gt;x&lt;/i&gt; &amp; &quot;y&quot;"');
    expect(html.match(/<sup>/g)).toHaveLength(1);
  });
});

describe('headings under a page title', () => {
  it('shifts every level down so the page keeps one h1, never past h6', () => {
    expect(renderMarkdown('# One\n\n## Two\n\n###### Six', { topHeading: 2 })).toBe('<h2>One</h2>\n<h3>Two</h3>\n<h6>Six</h6>\n');
    expect(renderMarkdown('# One')).toBe('<h1>One</h1>\n');
  });
});
