/**
 * HTML body → the text Graph answers under `Prefer: outlook.body-content-type="text"`: tags gone,
 * character references decoded, block elements and <br> as line breaks (CRLF, as Exchange writes text).
 * Exchange's exact converter output (list bullets, blank lines) is UNCONFIRMED; provider-facts §E B.4.
 */
import { decodeHTML } from 'entities';

const LINE = '\u0001';
const PARA = '\u0002';
const PARAGRAPH_TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'table', 'blockquote', 'pre', 'hr']);
const LINE_TAGS = new Set(['div', 'li', 'tr', 'dt', 'dd', 'section', 'article', 'header', 'footer', 'address', 'center']);

export function htmlToText(html: string): string {
  const marked = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, '')
    // Source line breaks are plain white space in HTML.
    .replace(/\s+/g, ' ')
    .replace(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g, (_tag, close: string, raw: string) => {
      const name = raw.toLowerCase();
      if (name === 'br') return '\n';
      if (PARAGRAPH_TAGS.has(name)) return PARA;
      if (LINE_TAGS.has(name)) return LINE;
      if ((name === 'td' || name === 'th') && close) return '\t';
      return '';
    })
    .replace(/<[^>]*>/g, '');
  // A run of block edges is one break: a blank line if a paragraph-like element is in it.
  const text = marked
    .replace(/ *[\u0001\u0002][ \u0001\u0002]*/g, (run) => (run.includes(PARA) ? '\n\n' : '\n'))
    .replace(/ *\n */g, '\n')
    .replace(/^\n+|\n+$/g, '')
    .trim();
  return decodeHTML(text).replace(/\n/g, '\r\n');
}
