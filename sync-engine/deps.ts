import type { CalendarConnector, ConnectorCapabilities, ConnectorContext } from '../connectors/index.ts';
import { HubError } from '../shared/errors.ts';
import type { Calendar, ProviderId } from '../shared/model/index.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../shared/metrics.ts';
import type { AccountRow, Store } from '../shared/store/index.ts';
import type { GuardSettings } from './guard.ts';
import type { TenantPace } from './tenant-pace.ts';

export interface Connected {
  connector: CalendarConnector;
  ctx: ConnectorContext;
}

export interface EngineDeps {
  store: Store;
  /**
   * A connector and its context for an account (credentials decrypted, budgets applied); the
   * calendar the work is for, absent for account-wide work (creating a calendar).
   */
  connect(account: AccountRow, calendar?: Calendar): Promise<Connected>;
  /**
   * What a provider's connector can hold, known without an account: no credentials, no request,
   * so a revoked grant does not change what a mirror run makes. Without it, asked of `connect`.
   */
  capabilities?(provider: ProviderId): Promise<ConnectorCapabilities>;
  /**
   * The provider's connector's check of what it can hold (CalendarConnector.cannotHold), known the
   * same way; null where it has none. Given with `capabilities`: a mirror writes a series its
   * target cannot hold as single events (mirror-singles.ts).
   */
  cannotHold?(provider: ProviderId): Promise<CalendarConnector['cannotHold'] | null>;
  /** Singles a mirror writes of one series its target cannot hold as one (default MAX_SINGLES, mirror-singles.ts). */
  singlesCap?: number;
  log: Logger;
  metrics?: Metrics;
  /** Local changes are waiting in a calendar's outbox: schedule its push. */
  onOutbox?(tenantId: string, calendarId: string): void;
  /** A calendar's events changed: rules reading from it need a mirror pass. */
  onCalendarChanged?(tenantId: string, calendarId: string): void;
  /**
   * A rule's run wrote copies into (or removed them from) a calendar, reported once per run: only
   * rules reading that calendar may need a pass, and not the rule itself (see mirror.ts).
   */
  onRuleWrote?(tenantId: string, calendarId: string, ruleId: string): void;
  guard?: GuardSettings;
  /** Objects a pull applies per transaction (default: 50 on the embedded store while another tenant runs, else a whole page; see pull.ts). */
  applyChunk?: number;
  /** Set by the queue's engine: a heavy tenant's pulls rest while lighter tenants run (tenant-pace.ts). */
  pace?: TenantPace;
}

/** The mass-change guard stopped a run; the calendar stays flagged until an operator clears it. */
export class MassChangeError extends HubError {
  constructor(message: string) {
    super('MASS_CHANGE_GUARD', 'never', message);
    this.name = 'MassChangeError';
  }
}

/** Syncs stop on a flagged calendar until `calhub calendars unflag`. */
export class CalendarFlaggedError extends HubError {
  constructor(calendarId: string, reason: string) {
    super('CALENDAR_FLAGGED', 'never', `calendar ${calendarId} is flagged: ${reason}`);
    this.name = 'CalendarFlaggedError';
  }
}

/** A run's sync slot was reaped or taken over while it ran: its commit is refused, the job retries. */
export class SyncSlotLostError extends HubError {
  constructor(calendarId: string) {
    super('SYNC_SLOT_LOST', 'backoff', `calendar ${calendarId}: this run no longer holds the sync slot; nothing was committed`);
    this.name = 'SyncSlotLostError';
  }
}

/** Another run holds the calendar's sync slot: nothing ran; try again when it has finished. */
export class SyncBusyError extends HubError {
  constructor(calendarId: string) {
    super('SYNC_BUSY', 'backoff', `calendar ${calendarId}: another sync of this calendar is running; try again when it has finished`);
    this.name = 'SyncBusyError';
  }
}

/** An operator switched the account off; nothing of it syncs until it is enabled again. */
export class AccountDisabledError extends HubError {
  constructor(accountId: string) {
    super('ACCOUNT_DISABLED', 'never', `account ${accountId} is disabled; its calendars do not sync`);
    this.name = 'AccountDisabledError';
  }
}
