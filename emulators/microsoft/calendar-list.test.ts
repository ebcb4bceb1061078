/* eslint-disable @typescript-eslint/no-explicit-any */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestGraph, type TestGraph } from './test-helpers.ts';

describe('Graph emulator: GET /me/calendars pages', () => {
  let g: TestGraph;
  before(async () => {
    g = await startTestGraph();
    for (let i = 0; i < 12; i++) assert.equal((await g.call('POST', '/me/calendars', { body: { name: `cal ${i}` } })).status, 201);
  });
  after(() => g.emu.close());

  it('10 a page by default, $top otherwise; the rest behind @odata.nextLink, every calendar once', async () => {
    const first = await g.call('GET', '/me/calendars');
    assert.equal(first.json.value.length, 10);
    const seen: string[] = first.json.value.map((c: any) => c.id);
    let link: string | undefined = first.json['@odata.nextLink'];
    assert.match(link ?? '', /\/v1\.0\/me\/calendars\?\$top=10&\$skip=10$/);
    while (link) {
      const page = await g.call('GET', link.slice(link.indexOf('/v1.0') + '/v1.0'.length));
      seen.push(...page.json.value.map((c: any) => c.id));
      link = page.json['@odata.nextLink'];
    }
    assert.equal(new Set(seen).size, 13, 'the default calendar and twelve more');
    const big = await g.call('GET', '/me/calendars?$top=100');
    assert.equal(big.json.value.length, 13);
    assert.equal(big.json['@odata.nextLink'], undefined);
    assert.equal((await g.call('GET', '/me/calendars?$top=0')).status, 400);
  });
});
