import { runConformanceSuite } from '../conformance/suite.ts';
import { makeMicrosoftHarness } from './test-support.ts';

runConformanceSuite('microsoft (Graph emulator)', makeMicrosoftHarness);
