/** The connector conformance suite against real Radicale and Xandikos servers on loopback. */
import { runCalendarLifecycleSuite } from '../conformance/calendar-lifecycle.ts';
import { runConformanceSuite } from '../conformance/suite.ts';
import { makeCaldavHarness } from '../../test/support/caldav-harness.ts';

runConformanceSuite('caldav (radicale)', makeCaldavHarness('radicale'));
runConformanceSuite('caldav (xandikos)', makeCaldavHarness('xandikos'));
// CalDAV has no primary calendar to refuse (delete-calendar.ts).
runCalendarLifecycleSuite('caldav (radicale)', makeCaldavHarness('radicale'), { primaryRefused: false });
runCalendarLifecycleSuite('caldav (xandikos)', makeCaldavHarness('xandikos'), { primaryRefused: false });
