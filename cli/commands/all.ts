/**
 * Every command, in the order `calhub --help` lists them. Loading this loads every command's
 * module (and the hub): cli/main.ts does only for the overview; a command loads its own module.
 */
import type { Command } from '../command.ts';
import { accountsConnectGoogle, accountsConnectMicrosoft, accountsDisable, accountsDisconnect, accountsEnable, accountsList, accountsShow } from './accounts.ts';
import { calendarsBusy, calendarsZone, calendarsSync, calendarsCreate, calendarsDelete, calendarsRename, calendarsPolicy, calendarsQuarantine, calendarsUnflag, calendarsWrites } from './calendars.ts';
import { channelsList, channelsRenew } from './channels.ts';
import { conflictsList, conflictsResolve } from './conflicts.ts';
import { accountsConnectCaldav } from './connect-caldav.ts';
import { emulatorGoogle, emulatorMicrosoft } from './emulator.ts';
import { keysRotate } from './keys.ts';
import { migrate } from './migrate.ts';
import { queueList, queueRetry } from './queue.ts';
import { resync } from './resync.ts';
import { rulesCreate, rulesDelete, rulesList, rulesPause, rulesResume, rulesShow, rulesUpdate } from './rules.ts';
import { runsList, runsRevert } from './runs.ts';
import { serve, start, worker } from './start.ts';
import { status } from './status.ts';
import { apiKeysCreate, apiKeysList, apiKeysRevoke, tenantsAllowRedirect, tenantsCreate, tenantsList, tenantsOAuthApp, tenantsRedirects } from './tenants.ts';
import { WEBHOOK_COMMANDS } from './webhooks.ts';

export const COMMANDS: Command[] = [
  start,
  serve,
  worker,
  status,
  migrate,
  keysRotate,
  tenantsCreate,
  tenantsList,
  tenantsAllowRedirect,
  tenantsOAuthApp,
  tenantsRedirects,
  apiKeysList,
  apiKeysCreate,
  apiKeysRevoke,
  accountsConnectCaldav,
  accountsConnectGoogle,
  accountsConnectMicrosoft,
  accountsList,
  accountsShow,
  accountsDisconnect,
  accountsDisable,
  accountsEnable,
  resync,
  rulesCreate,
  rulesList,
  rulesShow,
  rulesPause,
  rulesResume,
  rulesUpdate,
  rulesDelete,
  conflictsList,
  conflictsResolve,
  calendarsCreate,
  calendarsDelete,
  calendarsRename,
  calendarsBusy,
  calendarsZone,
  calendarsSync,
  calendarsPolicy,
  calendarsUnflag,
  calendarsQuarantine,
  calendarsWrites,
  runsList,
  runsRevert,
  queueList,
  queueRetry,
  ...WEBHOOK_COMMANDS,
  channelsList,
  channelsRenew,
  emulatorGoogle,
  emulatorMicrosoft,
];
