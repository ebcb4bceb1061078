/**
 * The streaming multistatus reader: the same answers as the whole-body reader (xml.ts) however
 * the body is cut into chunks, memory bounded per item, and hostile XML (bombs, external
 * entities, floods, deep nesting) refused or bounded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResponseTooLargeError } from './limits.ts';
import { MultistatusStream, type StreamedResponse } from './multistatus-stream.ts';
import { parseMultistatus, textOf } from './xml.ts';

const CAP = 10_000;

function readAll(xml: string, chunk: number, cap = CAP): { responses: StreamedResponse[]; syncToken: string | null } {
  const ms = new MultistatusStream(cap);
  const responses: StreamedResponse[] = [];
  for (let i = 0; i < xml.length; i += chunk) responses.push(...ms.write(xml.slice(i, i + chunk)));
  const end = ms.end();
  return { responses: [...responses, ...end.responses], syncToken: end.syncToken };
}

const sample =
  '<?xml version="1.0" encoding="utf-8"?>\n<ns0:multistatus xmlns:ns0="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">' +
  '<ns0:response><ns0:href>/cal/a.ics</ns0:href><ns0:propstat><ns0:prop><ns0:getetag>"1"</ns0:getetag>' +
  '<C:calendar-data>BEGIN:VCALENDAR&#13;\nUID:a &amp; b&#13;\n<![CDATA[<x>]]>END:VCALENDAR&#13;\n</C:calendar-data></ns0:prop>' +
  '<ns0:status>HTTP/1.1 200 OK</ns0:status></ns0:propstat><ns0:propstat><ns0:prop><ns0:displayname/></ns0:prop>' +
  '<ns0:status>HTTP/1.1 404 Not Found</ns0:status></ns0:propstat></ns0:response>' +
  '<!-- a comment with <response> in it -->' +
  '<ns0:response><ns0:href>/cal/b.ics</ns0:href><ns0:status>HTTP/1.1 404 Not Found</ns0:status></ns0:response>' +
  '<ns0:response><ns0:href>/cal/</ns0:href><ns0:propstat><ns0:prop><ns0:resourcetype><ns0:collection/><C:calendar/></ns0:resourcetype>' +
  '<ns0:getetag>0012</ns0:getetag></ns0:prop><ns0:status>HTTP/1.1 200 OK</ns0:status></ns0:propstat></ns0:response>' +
  '<ns0:sync-token>http://radicale.org/ns/sync/00042</ns0:sync-token></ns0:multistatus>';

describe('MultistatusStream', () => {
  it('reads what parseMultistatus reads, whatever the chunk boundaries', () => {
    const whole = parseMultistatus(sample);
    for (const chunk of [1, 2, 3, 7, 64, sample.length]) {
      const got = readAll(sample, chunk);
      assert.equal(got.syncToken, whole.syncToken, `chunk ${chunk}`);
      assert.deepEqual(got.responses.map((r) => [r.href, r.status, r.missing]), whole.responses.map((r) => [r.href, r.status, r.missing]));
      for (const [i, r] of got.responses.entries()) {
        for (const k of ['getetag', 'calendar-data']) assert.equal(textOf(r.props[k]), textOf(whole.responses[i]!.props[k]), `${k}, chunk ${chunk}`);
        assert.equal(r.oversize, false);
      }
    }
    const a = readAll(sample, 5).responses[0]!;
    assert.equal(textOf(a.props['calendar-data']), 'BEGIN:VCALENDAR\r\nUID:a & b\r\n<x>END:VCALENDAR\r\n');
    assert.equal(textOf(a.props['getetag']), '"1"', 'text is never coerced');
    assert.equal(textOf(readAll(sample, 5).responses[2]!.props['getetag']), '0012');
    assert.deepEqual(Object.keys(readAll(sample, 5).responses[2]!.props['resourcetype'] as object), ['collection', 'calendar']);
  });

  it('control characters XML forbids (a NUL in a SUMMARY, as Radicale sends it) reach the item unchanged, for the engine to quarantine', () => {
    const data = 'SUMMARY:nul\u0000 bell\u0007 esc\u001b pua\uF700\uF71F\uF7FF\uF7FE end';
    const xml = sample.replace('UID:a &amp; b', `UID:a &amp; b&#13;\n${data}`);
    for (const chunk of [1, 3, xml.length]) {
      const got = textOf(readAll(xml, chunk).responses[0]!.props['calendar-data']);
      assert.equal(got, `BEGIN:VCALENDAR\r\nUID:a & b\r\n${data}\r\n<x>END:VCALENDAR\r\n`, `chunk ${chunk}`);
    }
  });

  it('hands each response over as soon as it is complete', () => {
    const ms = new MultistatusStream(CAP);
    const cut = sample.indexOf('<!--');
    assert.deepEqual(ms.write(sample.slice(0, cut)).map((r) => r.href), ['/cal/a.ics']);
    assert.deepEqual(ms.write(sample.slice(cut)).map((r) => r.href), ['/cal/b.ics', '/cal/']);
    assert.equal(ms.end().syncToken, 'http://radicale.org/ns/sync/00042');
  });

  it('one response naming several hrefs under one status gives each of them', () => {
    const xml = '<multistatus xmlns="DAV:"><response><href>/c/1.ics</href><href>/c/2.ics</href><status>HTTP/1.1 404 Not Found</status></response></multistatus>';
    assert.deepEqual(readAll(xml, 9).responses.map((r) => [r.href, r.status]), [['/c/1.ics', 404], ['/c/2.ics', 404]]);
  });

  it('a response over the item budget keeps its href and status, drops the rest, and the answer reads on', () => {
    const many = Array.from({ length: 400 }, (_, i) => `<x>${i}</x>`).join('');
    const xml = `<multistatus xmlns="DAV:"><response><href>/c/big.ics</href><propstat><prop><getetag>"e"</getetag><junk>${many}</junk></prop><status>HTTP/1.1 200 OK</status></propstat></response>` +
      '<response><href>/c/small.ics</href><propstat><prop><getetag>"s"</getetag></prop><status>HTTP/1.1 200 OK</status></propstat></response><sync-token>t</sync-token></multistatus>';
    const got = readAll(xml, 100, 2_000);
    assert.deepEqual(got.responses.map((r) => [r.href, r.oversize]), [['/c/big.ics', true], ['/c/small.ics', false]]);
    assert.equal(got.responses[0]!.props['junk'], undefined, 'the flood was not kept');
    assert.equal(got.syncToken, 't');
  });

  it('one text longer than an item fails as too large instead of being buffered', () => {
    const xml = `<multistatus xmlns="DAV:"><response><href>/c/a</href><propstat><prop><calendar-data>${'x'.repeat(500_000)}</calendar-data></prop></propstat></response></multistatus>`;
    assert.throws(() => readAll(xml, 16_384, 100_000), ResponseTooLargeError);
    const cdata = `<multistatus xmlns="DAV:"><!--${'y'.repeat(500_000)}--></multistatus>`;
    assert.throws(() => readAll(cdata, 16_384, 100_000), ResponseTooLargeError);
  });

  it('an XML bomb and an external entity are refused, never expanded or fetched', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">' +
      '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><multistatus xmlns="DAV:"><response><href>&d;&d;&d;&d;</href><status>HTTP/1.1 200 OK</status></response></multistatus>';
    assert.throws(() => readAll(bomb, 64), /malformed XML: .*undefined entity/);
    const xxe = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><multistatus xmlns="DAV:"><response><href>&x;</href></response></multistatus>';
    assert.throws(() => readAll(xxe, 64), /malformed XML: .*undefined entity/);
  });

  it('malformed XML, deep nesting and a root that is not multistatus are errors', () => {
    assert.throws(() => readAll('<multistatus xmlns="DAV:"><response><href>/a</href></multistatus>', 8), /malformed XML/);
    assert.throws(() => readAll('<multistatus xmlns="DAV:"><response>', 8), /malformed XML/);
    assert.throws(() => readAll(`<multistatus>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</multistatus>`, 50), /nested over 64 levels/);
    assert.throws(() => readAll('<error xmlns="DAV:"><valid-sync-token/></error>', 8), /not a DAV:multistatus/);
    assert.throws(() => readAll('', 8), /malformed XML|not a DAV:multistatus/);
    assert.deepEqual(readAll('<D:multistatus xmlns:D="DAV:"/>', 3), { responses: [], syncToken: null });
  });
});
