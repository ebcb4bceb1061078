import { runCalendarLifecycleSuite } from '../conformance/calendar-lifecycle.ts';
import { runConformanceSuite } from '../conformance/suite.ts';
import { makeMicrosoftHarness } from './test-support.ts';

// The documented behaviour and the FIELD readings of provider-facts §E (thin delta items, me/events
// hearing only the default calendar, 412 ErrorIrresolvableConflict) must both pass.
runConformanceSuite('microsoft (Graph emulator)', () => makeMicrosoftHarness());
runConformanceSuite(
  'microsoft (Graph emulator, FIELD switches: thin delta items, me/events default calendar only, 412 ErrorIrresolvableConflict)',
  () => makeMicrosoftHarness({ thinDeltaItems: true, meEventsDefaultCalendarOnly: true, irresolvableConflict412: true }),
);
runCalendarLifecycleSuite('microsoft (Graph emulator)', () => makeMicrosoftHarness(), { primaryRefused: true, renamesPrimary: true });
