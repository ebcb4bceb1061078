import { runCalendarLifecycleSuite } from '../conformance/calendar-lifecycle.ts';
import { runConformanceSuite } from '../conformance/suite.ts';
import { makeGoogleHarness } from './test-support.ts';

runConformanceSuite('google (emulator)', () => makeGoogleHarness());
runConformanceSuite('google (emulator, Berlin calendar, no empty pages)', () => makeGoogleHarness({ timeZone: 'Europe/Berlin', emptyPageEvery: 0, pageSize: 7 }));
runCalendarLifecycleSuite('google (emulator)', () => makeGoogleHarness(), { primaryRefused: true, renamesPrimary: true });
