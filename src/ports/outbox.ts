import type { Timestamp } from '../teammates/model.js';

/** A Slack message as the outbox keeps it: Block Kit plus its fallback text. */
export interface OutboxMessage {
  text: string;
  blocks: unknown[];
}

export type PendingNotification =
  | { id: number; teamId: string; userId: string; kind: 'dm'; messages: OutboxMessage[]; attempts: number }
  | { id: number; teamId: string; userId: string; kind: 'home'; attempts: number }
  | {
      id: number;
      teamId: string;
      userId: string;
      kind: 'post';
      channelId: string;
      messages: OutboxMessage[];
      attempts: number;
    };

/**
 * `dm`: messages for the DM with `userId` (opened by the sender); `home`: the person's Home tab, rebuilt when sent;
 * `post`: messages in a conversation Slack named (the DM an event came from), about `userId`.
 */
export type NewNotification =
  | { teamId: string; userId: string; kind: 'dm'; messages: readonly OutboxMessage[] }
  | { teamId: string; userId: string; kind: 'home' }
  | { teamId: string; userId: string; kind: 'post'; channelId: string; messages: readonly OutboxMessage[] };

/** Notifications not sent yet: failed ones waiting for the background job, and those an event sends after its answer. */
export interface OutboxStore {
  /**
   * Keeps a notification to try at `retryAt`; returns its id. A second pending Home refresh for a person is merged
   * into the first (whose id is returned).
   */
  enqueue(notification: NewNotification, at: Timestamp, retryAt: Timestamp): Promise<number>;
  /** The notification with this id, while it is kept. */
  get(id: number): Promise<PendingNotification | undefined>;
  /** What is due at `now`, oldest first, at most `limit`. */
  due(now: Timestamp, limit: number): Promise<PendingNotification[]>;
  /**
   * Takes what is due at `now` (the oldest due first, at most `limit`; given back in the order they were kept) for
   * one sender: in one statement, its next attempt moves to `leaseUntil`, so another process running the job does
   * not take it too. The sender then removes each one Slack took, or sets its retry (`retryLater`); one it never got
   * to (a crash) is due again at `leaseUntil`.
   */
  claimDue(now: Timestamp, leaseUntil: Timestamp, limit: number): Promise<PendingNotification[]>;
  /**
   * Takes one DM held until `heldUntil` (kept with that as its first attempt) for `userId`, to send it now: only
   * while it is still held (`now` before `heldUntil` and not yet taken), its next attempt moving to `leaseUntil` in
   * the same statement, so neither the background job nor a second click sends it again. Undefined: gone or taken.
   */
  claimHeld(
    id: number,
    userId: string,
    heldUntil: Timestamp,
    now: Timestamp,
    leaseUntil: Timestamp,
  ): Promise<PendingNotification | undefined>;
  /** Delivered, or given up on: forget it. */
  remove(id: number): Promise<void>;
  /** Failed again: try at `retryAt`, counting the attempt. */
  retryLater(id: number, retryAt: Timestamp, error: string): Promise<void>;
}
