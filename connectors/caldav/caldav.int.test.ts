/** The connector conformance suite against real Radicale and Xandikos servers on loopback. */
import { runConformanceSuite } from '../conformance/suite.ts';
import { makeCaldavHarness } from '../../test/support/caldav-harness.ts';

runConformanceSuite('caldav (radicale)', makeCaldavHarness('radicale'));
runConformanceSuite('caldav (xandikos)', makeCaldavHarness('xandikos'));
