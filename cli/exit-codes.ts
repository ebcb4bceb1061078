/**
 * Every exit code `calhub` uses, in one place (README "Exit codes" and `calhub --help` print this
 * table). Scripts may rely on them.
 */
export const EXIT = {
  /** Done; for status and list commands: the report was printed, whatever it says. */
  OK: 0,
  /** The operation ran and failed: a sync, a write or a channel renewal failed; a disconnect could not revoke the grant at the provider or stop its push channels. */
  FAILED: 1,
  /** Bad usage or configuration: unknown command or option, invalid value, missing or unknown id; refused for the settings before anything ran (CONFIG_INVALID, PROVIDER_NOT_CONFIGURED, KEY_RING_IN_USE, SCHEMA_NEWER) or for a state the operator chooses how to leave (WEBHOOK_ROTATION_IN_PROGRESS: the message names when it is possible). */
  USAGE: 2,
  /** A dependency could not be reached: the store, or Redis where the command needs the queue (10 s). */
  UNREACHABLE: 3,
} as const;

export const EXIT_CODE_HELP = [
  'Exit codes:',
  `  ${EXIT.OK}  done (status and list commands: the report was printed)`,
  `  ${EXIT.FAILED}  the operation failed (a sync, a write, a channel renewal, a disconnect's revocation or channel stops at the provider)`,
  `  ${EXIT.USAGE}  bad usage or configuration (unknown option, invalid value, unknown id; refused for the settings, or a secret rotation refused inside the last one's overlap)`,
  `  ${EXIT.UNREACHABLE}  the store or Redis could not be reached`,
  'With --json a failure is one JSON document on stderr: {"error":{"code","message","exitCode"}}.',
].join('\n');
