/**
 * Every exit code `calhub` uses, in one place (README "Exit codes" and `calhub --help` print this
 * table). Scripts may rely on them.
 */
export const EXIT = {
  /** Done; for status and list commands: the report was printed, whatever it says. */
  OK: 0,
  /** The operation ran and failed: a sync, a write or a channel renewal failed; a disconnect could not revoke the grant at the provider or stop its push channels. */
  FAILED: 1,
  /** Bad usage or configuration: unknown command or option, invalid value, missing or unknown id; refused for the settings before anything ran (CONFIG_INVALID, PROVIDER_NOT_CONFIGURED, KEY_RING_IN_USE, SCHEMA_NEWER) or for a state the operator chooses how to leave (every REFUSED_FOR_STATE code, e.g. WEBHOOK_ROTATION_IN_PROGRESS: the message names when it is possible). */
  USAGE: 2,
  /** A dependency could not be reached: the store, or Redis where the command needs the queue (10 s). */
  UNREACHABLE: 3,
} as const;

export const EXIT_CODE_HELP = [
  'Exit codes:',
  `  ${EXIT.OK}  done (status and list commands: the report was printed)`,
  `  ${EXIT.FAILED}  the operation failed (a sync, a write, a channel renewal, a disconnect's revocation or channel stops at the provider)`,
  `  ${EXIT.USAGE}  bad usage or configuration (unknown option, invalid value, unknown id; refused for the settings, or refused for a state before anything changed: the API's 409 codes, e.g. a taken name, a rule that exists, a secret rotation inside the last one's overlap)`,
  `  ${EXIT.UNREACHABLE}  the store or Redis could not be reached`,
  'With --json a failure is one JSON document on stderr: {"error":{"code","message","exitCode"}}.',
].join('\n');

/**
 * Refused for a state, before anything changed (the API answers each 409): the operator changes the
 * input or that state (another name, delete the rule or mirror first, wait for the writes or the
 * overlap, reconnect the account), so exit 2 like bad usage, not 1 (nothing ran and failed). Every
 * 409 code of api/errors.ts is here (cli/main.test.ts checks), so a new one is decided, not
 * defaulted; IDEMPOTENCY_KEY_* come only with the API's Idempotency-Key header.
 */
export const REFUSED_FOR_STATE: readonly string[] = [
  'TENANT_NAME_TAKEN', 'WEBHOOK_ROTATION_IN_PROGRESS', 'RULE_EXISTS', 'OAUTH_APP_IN_USE',
  'CALENDAR_EXISTS', 'CALENDAR_NOT_DELETABLE', 'CALENDAR_READ_ONLY', 'ACCOUNT_READ_ONLY', 'CALENDAR_NOT_SYNCED',
  'CALENDAR_MIRRORED', 'WRITES_PENDING', 'ACCOUNT_NEEDS_REAUTH', 'EVENT_QUARANTINED', 'SLOT_TAKEN', 'NO_BUSY_CALENDARS', 'CONFLICT_ALREADY_RESOLVED',
  'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE',
];
