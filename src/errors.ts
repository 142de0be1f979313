/**
 * Every error Ripple throws on purpose carries one of these codes (the bolt-js habit: a string
 * enum of codes, one class per code). Code outside a module can tell them apart without
 * `instanceof` across module copies, and logs name them the same way everywhere.
 */
export const ErrorCode = {
  // Storage: input refused before any write, or a state the change does not fit.
  StoreInvalidInput: 'ripple_store_invalid_input',
  StoreTeammateNotFound: 'ripple_store_teammate_not_found',
  StoreStateConflict: 'ripple_store_state_conflict',
  // The database file and its schema.
  DatabaseTooNew: 'ripple_db_too_new',
  MigrationFiles: 'ripple_db_migration_files',
  MigrationFailed: 'ripple_db_migration_failed',
  DatabaseBusy: 'ripple_database_busy',
  // DATABASE_URL: not a PostgreSQL URL Ripple can use, or no server answering there.
  DatabaseUrl: 'ripple_db_url',
  DatabaseUnreachable: 'ripple_db_unreachable',
  // Start-up.
  FrameworkLoad: 'ripple_framework_load',
  SlackTokenRejected: 'ripple_slack_token_rejected',
  // Socket Mode: the connection can never come back until a person acts.
  SlackAppTokenRejected: 'ripple_slack_app_token_rejected',
  SocketModeDisabled: 'ripple_socket_mode_disabled',
  // The bulk command-line tools.
  Cli: 'ripple_cli',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The base of Ripple's coded errors. */
export abstract class RippleError extends Error {
  abstract readonly code: ErrorCode;
}
