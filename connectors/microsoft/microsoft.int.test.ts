import { runConformanceSuite } from '../conformance/suite.ts';
import { makeMicrosoftHarness } from './microsoft-testbed.test.ts';

runConformanceSuite('microsoft (Graph emulator)', makeMicrosoftHarness);
