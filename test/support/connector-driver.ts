/** A model-test provider side driven through a second connector instance, as another client would. */
import { drain } from '../../connectors/conformance/suite.ts';
import type { CalendarConnector, ConnectorContext, RemoteCalendarRef } from '../../connectors/index.ts';
import type { CanonicalEvent } from '../../shared/model/index.ts';
import type { ProviderDriver } from '../../sync-engine/test-support/model.ts';

export function connectorDriver(other: CalendarConnector, ctx: ConnectorContext, refs: RemoteCalendarRef[], writes: () => number): ProviderDriver {
  return {
    async list(c) {
      const replica = new Map<string, { version: string | null; events: CanonicalEvent[] }>();
      await drain(other, ctx, refs[c]!, null, replica);
      return [...replica].map(([remoteId, o]) => ({ remoteId, events: o.events }));
    },
    async put(c, remoteId, events) {
      if (remoteId === null) {
        await other.putObject(ctx, refs[c]!, { remoteId: null, events }, { ifNoneMatch: '*' });
        return;
      }
      const current = await other.getObject(ctx, refs[c]!, remoteId);
      await other.putObject(ctx, refs[c]!, { remoteId, events }, { ifMatch: current.version! });
    },
    async delete(c, remoteId) {
      await other.deleteObject(ctx, refs[c]!, remoteId, null);
    },
    writes,
  };
}
