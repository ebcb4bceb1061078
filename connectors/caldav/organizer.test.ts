import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent, type CanonicalEventInput } from '../../shared/model/index.ts';
import type { ConnectorContext } from '../connector.ts';
import { ownAddress, withOrganizer } from './connector.ts';

const ctx = (username: string): ConnectorContext => ({
  credentials: { kind: 'basic', username, password: 'x' },
  signal: new AbortController().signal,
  log: { debug() {}, info() {}, warn() {}, error() {} },
  now: () => new Date(),
});
const at = (h: number) => ({ dateTime: `2027-04-01T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const ev = (over: Partial<CanonicalEventInput> = {}) => parseEvent({ uid: 'm1', title: 'Meeting', start: at(9), end: at(10), ...over });
const carol = [{ email: 'carol@example.com', name: 'Carol' }];

describe('ORGANIZER of a meeting calhub creates on CalDAV (RFC 5545 §3.8.4.3)', () => {
  it('the account\'s address: calendar-user-address-set first, else a username that is an email, else none', () => {
    assert.equal(ownAddress(ctx('alice'), ['/alice/', 'alice@example.com']), 'alice@example.com');
    assert.equal(ownAddress(ctx('bob@example.com'), ['alice@example.com']), 'alice@example.com');
    assert.equal(ownAddress(ctx('bob@example.com'), ['/principals/bob/']), 'bob@example.com');
    assert.equal(ownAddress(ctx('alice'), ['/alice/']), null);
  });

  it('a create with attendees and no organizer gets the account; one without attendees or with an organizer is left', () => {
    const [filled] = withOrganizer([ev({ attendees: carol })], null, 'me@example.com');
    assert.deepEqual(filled!.organizer, { email: 'me@example.com', name: null });
    const alone = ev();
    assert.equal(withOrganizer([alone], null, 'me@example.com')[0], alone);
    const theirs = ev({ attendees: carol, organizer: { email: 'boss@example.com' } });
    assert.equal(withOrganizer([theirs], null, 'me@example.com')[0], theirs);
    const unknown = ev({ attendees: carol });
    assert.equal(withOrganizer([unknown], null, null)[0], unknown, 'no address known: left out');
  });

  it('an update: filled where the server\'s version had neither attendees nor organizer; someone else\'s attendee list is not claimed', () => {
    const added = withOrganizer([ev({ attendees: carol })], [ev()], 'me@example.com');
    assert.equal(added[0]!.organizer?.email, 'me@example.com');
    const had = ev({ attendees: [{ email: 'dave@example.com' }] });
    const kept = ev({ attendees: carol });
    assert.equal(withOrganizer([kept], [had], 'me@example.com')[0], kept);
  });
});
