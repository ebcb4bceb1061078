/**
 * A DAV:multistatus read as it arrives (saxes, a strict streaming XML parser): each <response>
 * is handed over as soon as its end tag is read and then forgotten, so a listing of any length
 * costs memory per item, never per answer. Same tolerance as parseMultistatus (xml.ts): namespace
 * prefixes dropped, text kept as strings, per-href statuses kept.
 *
 * Hostile input stays cheap: one <response> may hold at most `maxItemChars` characters of text
 * (and a bounded number of elements) — past that its text is dropped and it is marked `oversize`,
 * the rest of the answer still reads. saxes never expands entities a DOCTYPE declares (an XML
 * bomb or an external entity is an "undefined entity" error), and any malformed XML is an error.
 */
import { SaxesParser } from 'saxes';
import { ResponseTooLargeError } from './limits.ts';
import type { DavResponse, XmlNode } from './xml.ts';

export interface StreamedResponse extends DavResponse {
  /** The response held more than the per-item limit: its text was dropped past it. */
  oversize: boolean;
}

/** Elements cost this many characters of an item's budget, so a flood of empty tags is bounded too. */
const ELEMENT_COST = 32;
/** A sync-token longer than this is not a token; an href or status longer than this is cut. */
const MAX_TOKEN_CHARS = 64 * 1024;
const MAX_NAME_CHARS = 8 * 1024;
/** Deeper nesting is not DAV (and each level costs memory): refused as malformed. */
const MAX_DEPTH = 64;
/** saxes is fed this much at a time, so a stretch without any XML event is noticed early. */
const FEED_CHARS = 64 * 1024;

/**
 * XML 1.0 forbids C0 control characters other than tab, LF and CR, even as character references,
 * and saxes refuses them. Servers send them anyway inside calendar-data (Radicale returns a NUL in a
 * SUMMARY as it was stored), and one such item must be quarantined by the engine, not fail the whole
 * listing. So they are carried through the parser as private-use characters (U+F700 + code) and
 * put back in the text; a genuine U+F700–U+F71F or the escape U+F7FF is escaped as U+F7FF + itself.
 */
const CARRY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uF700-\uF71F\uF7FF]/g;
const ESCAPE = '\uF7FF';
const carry = (s: string) => s.replace(CARRY, (c) => {
  const code = c.charCodeAt(0);
  return code < 0x20 ? String.fromCharCode(0xf700 + code) : ESCAPE + c;
});
const RESTORE = /\uF7FF([\s\S])|([\uF700-\uF71F])/g;
const restore = (s: string) => (/[\uF700-\uF71F\uF7FF]/.test(s) ? s.replace(RESTORE, (_m, escaped: string | undefined, carried: string | undefined) => escaped ?? String.fromCharCode(carried!.charCodeAt(0) - 0xf700)) : s);

interface Open {
  name: string;
  text: string;
  children: XmlNode | null;
}

const localName = (qname: string): string => qname.slice(qname.indexOf(':') + 1);

const statusCode = (s: string): number | null => {
  const m = /HTTP\/[\d.]+\s+(\d{3})/.exec(s);
  return m ? Number(m[1]) : null;
};

function addChild(parent: Open, name: string, value: unknown): void {
  parent.children ??= {};
  const had = parent.children[name];
  // Repeated names become arrays, as fast-xml-parser does (textOf and childNames read the first).
  if (had === undefined) parent.children[name] = value;
  else if (Array.isArray(had)) had.push(value);
  else parent.children[name] = [had, value];
}

/** An element's value: its text if it has no children, else its children (text beside them kept as #text). */
function valueOf(o: Open): unknown {
  if (!o.children) return o.text;
  if (o.text.trim()) o.children['#text'] = o.text;
  return o.children;
}

function toResponses(tree: XmlNode, oversize: boolean): StreamedResponse[] {
  const hrefs = ([] as unknown[]).concat(tree['href'] ?? []).map((h) => (typeof h === 'string' ? h.trim() : '')).filter(Boolean);
  if (hrefs.length === 0) return [];
  const props: XmlNode = {};
  const missing: string[] = [];
  for (const ps of ([] as unknown[]).concat(tree['propstat'] ?? [])) {
    if (!ps || typeof ps !== 'object') continue;
    const node = ps as XmlNode;
    const code = statusCode(typeof node['status'] === 'string' ? node['status'] : '');
    const prop = node['prop'];
    const names = prop && typeof prop === 'object' ? (prop as XmlNode) : {};
    if (code !== null && code >= 200 && code < 300) Object.assign(props, names);
    else missing.push(...Object.keys(names).filter((k) => k !== '#text'));
  }
  const status = statusCode(typeof tree['status'] === 'string' ? tree['status'] : '');
  // RFC 4918 §14.24: one <response> may name several hrefs sharing one status (a multiget's 404s).
  const named = status !== null ? hrefs : hrefs.slice(0, 1);
  return named.map((href) => ({ href, status, props, missing, oversize }));
}

export class MultistatusStream {
  private readonly parser = new SaxesParser({ position: false });
  private readonly stack: Open[] = [];
  private done: StreamedResponse[] = [];
  private root: string | null = null;
  /** Depth of the <response> being read (-1: none), and what it has cost so far. */
  private responseDepth = -1;
  private cost = 0;
  private oversize = false;
  private token: string | null = null;
  /** Characters fed since saxes last reported anything: what it may be buffering (one text, CDATA, comment). */
  private quiet = 0;
  private event = false;

  /** `maxItemChars`: the most one <response> (and so one text or section in it) may hold. */
  constructor(private readonly maxItemChars: number) {
    const seen = () => (this.event = true);
    this.parser.on('opentag', (t) => { seen(); this.open(t); });
    this.parser.on('closetag', () => { seen(); this.close(); });
    this.parser.on('text', (s) => { seen(); this.text(restore(s)); });
    this.parser.on('cdata', (s) => { seen(); this.text(restore(s)); });
    this.parser.on('comment', seen);
    this.parser.on('processinginstruction', seen);
    this.parser.on('doctype', seen);
  }

  /**
   * Reads the next piece of the body; returns the responses it completed. Throws on malformed
   * XML, and ResponseTooLargeError when one text or section outgrows an item (saxes buffers it).
   */
  write(chunk: string): StreamedResponse[] {
    for (let at = 0; at < chunk.length; at += FEED_CHARS) {
      const piece = chunk.length <= FEED_CHARS ? chunk : chunk.slice(at, at + FEED_CHARS);
      this.event = false;
      try {
        this.parser.write(carry(piece));
      } catch (e) {
        throw new Error(`malformed XML: ${(e as Error).message}`);
      }
      this.quiet = this.event ? 0 : this.quiet + piece.length;
      if (this.quiet > this.maxItemChars) throw new ResponseTooLargeError(`one XML text or section of over ${this.maxItemChars} characters`);
    }
    const out = this.done;
    this.done = [];
    return out;
  }

  /** The end of the body: the sync-token (null when absent), and the responses still pending. */
  end(): { responses: StreamedResponse[]; syncToken: string | null } {
    try {
      this.parser.close();
    } catch (e) {
      throw new Error(`malformed XML: ${(e as Error).message}`);
    }
    if (this.root !== 'multistatus') throw new Error('not a DAV:multistatus response');
    const token = this.token?.trim();
    return { responses: this.write(''), syncToken: token ? token : null };
  }

  private open(tag: { name: string }): void {
    const name = localName(tag.name);
    const depth = this.stack.length;
    if (depth >= MAX_DEPTH) throw new Error(`XML nested over ${MAX_DEPTH} levels`);
    if (depth === 0) this.root = name;
    if (this.responseDepth < 0 && depth === 1 && this.root === 'multistatus' && name === 'response') {
      this.responseDepth = depth;
      this.cost = 0;
      this.oversize = false;
    }
    if (this.responseDepth >= 0) {
      this.cost += ELEMENT_COST;
      if (this.cost > this.maxItemChars) this.oversize = true;
    }
    this.stack.push({ name, text: '', children: null });
  }

  private text(s: string): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    if (this.responseDepth >= 0) {
      this.cost += s.length;
      if (this.cost > this.maxItemChars) this.oversize = true;
      // An oversize response keeps its href and statuses (cut short), not the rest of its text.
      if (!this.oversize) top.text += s;
      else if ((top.name === 'href' || top.name === 'status') && top.text.length < MAX_NAME_CHARS) top.text += s.slice(0, MAX_NAME_CHARS - top.text.length);
      return;
    }
    if (this.stack.length === 2 && top.name === 'sync-token' && top.text.length + s.length <= MAX_TOKEN_CHARS) top.text += s;
  }

  private close(): void {
    const o = this.stack.pop()!;
    const depth = this.stack.length;
    if (this.responseDepth >= 0 && depth > this.responseDepth) {
      // Inside a response: a tree is built, bounded by the item's budget.
      if (!this.oversize || o.name === 'href' || o.name === 'status' || o.name === 'propstat' || o.name === 'prop') addChild(this.stack[depth - 1]!, o.name, valueOf(o));
      return;
    }
    if (depth === this.responseDepth) {
      this.responseDepth = -1;
      this.done.push(...toResponses(o.children ?? {}, this.oversize));
      return;
    }
    if (depth === 1 && o.name === 'sync-token' && this.root === 'multistatus') this.token = o.text;
  }
}
