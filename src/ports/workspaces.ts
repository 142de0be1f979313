import type { Timestamp } from '../teammates/model.js';

/**
 * Whether Ripple may still talk to a workspace. app_uninstalled and tokens_revoked mark it inactive,
 * and every outgoing job (DMs, reminders) checks `isActive` first.
 */
export interface WorkspaceStore {
  /**
   * False only for a workspace marked inactive. A workspace Ripple has never heard of counts as active:
   * with a single bot token there is no install event, and nothing says it was uninstalled.
   */
  isActive(teamId: string): Promise<boolean>;
  /** Install or reinstall. Idempotent: an already active workspace keeps its `installed_at`. */
  markActive(teamId: string, at: Timestamp): Promise<void>;
  /** app_uninstalled / tokens_revoked. Idempotent: both events arrive for one uninstall. */
  markInactive(teamId: string, at: Timestamp): Promise<void>;
  /**
   * Marks an inactive workspace active again (a reinstall proved by an accepted token or a verified
   * request); true when this call made it active (of two instances racing, one). NOTE: an active
   * workspace costs one read and no write, so every request may call it, also while another connection
   * holds the write lock.
   */
  reactivate(teamId: string, at: Timestamp): Promise<boolean>;
}
