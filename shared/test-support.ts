/**
 * Test support: an account stored by hand as a connect leaves it. A connect lists the account's
 * calendars and marks them listed (migration 0068); an account stored without that mark is one
 * whose connect was cut short, and the maintenance sweep of a running worker lists it again a
 * minute later — calendars a test never asked for, or a listing failure, in the middle of its run.
 */
import type { AccountRow, CalendarInput, TenantStore } from './store/index.ts';

type AccountSpec = Parameters<TenantStore['accounts']['upsert']>[0];
type Calendars = Awaited<ReturnType<TenantStore['calendars']['upsertMany']>>;

/** Stores the account and these calendars of it (none: the test adds its own), marked listed. */
export async function listedAccount(t: TenantStore, spec: AccountSpec, calendars: CalendarInput[] = []): Promise<{ account: AccountRow; calendars: Calendars }> {
  const account = await t.accounts.upsert(spec);
  const cals = calendars.length ? await t.calendars.upsertMany(account.id, calendars) : [];
  await t.accounts.markCalendarsListed(account.id);
  return { account, calendars: cals };
}
