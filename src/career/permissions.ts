/**
 * Who may do what to whose teammate record, as data. The table is the only authority: every row is
 * consulted by the teammate service before it acts, the README renders it with
 * {@link permissionTableMarkdown}, and a test pins every cell. Bulk import is not a row: it is a
 * command run on the server, so whoever can run it already holds the database.
 */

export const ACTIONS = [
  'read-record',
  'set-record',
  'pause-self',
  'export-self',
  'forget-self',
  'forget-other',
  'checkin-self',
  'read-checkin-answers',
  'rate-checkin',
  'read-checkin-counts',
  'read-team',
  'celebrate-self',
  'admin-growth',
  'admin-people',
  'ask-colleague',
  'answer-ask',
  'propose-promotion',
  'read-case',
  'decide-case',
  'save-evidence',
  'read-evidence',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * How the actor stands to the target record:
 * - `self`: the actor is the person the record is about;
 * - `manager`: the actor is the target's manager of record (as stored, not as requested);
 * - `admin`: the actor is a Ripple admin (CAREER_ADMINS, or a Slack workspace admin or owner);
 * - `other`: none of these.
 */
export const RELATIONS = ['self', 'manager', 'admin', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];

export interface PermissionRow {
  /** What the action is, in the words of the README. */
  summary: string;
  self: boolean;
  manager: boolean;
  admin: boolean;
  other: boolean;
  /** An extra condition on the target, checked by {@link authorize} after the table. */
  condition?: Condition;
}

/**
 * Extra conditions, each limiting the relations it names: `target-has-left` (forgetting someone
 * else) and `shared-with-manager` (a manager sees a check-in only once the teammate shared it with
 * them; the teammate's own access does not wait for that) and `asked-colleague` (only the colleague a person
 * asked for an example answers it, whoever they are to the person: a manager, an admin or anyone else).
 */
export type Condition = 'target-has-left' | 'shared-with-manager' | 'asked-colleague' | 'case-sent' | 'not-own-case';

const CONDITION_LIMITS: Record<Condition, readonly Relation[]> = {
  'target-has-left': ['self', 'manager', 'admin', 'other'],
  'shared-with-manager': ['manager'],
  'asked-colleague': ['manager', 'admin', 'other'],
  // Admins see a promotion case only once the person sent it on; the person and their manager see it from the start.
  'case-sent': ['admin'],
  // An admin never decides a case about themselves.
  'not-own-case': ['admin'],
};

/** Why a condition refused, as a {@link Decision}'s reason. */
const CONDITION_REASONS: Record<Condition, Exclude<Decision, { allowed: true }>['reason']> = {
  'target-has-left': 'target-has-not-left',
  'shared-with-manager': 'not-shared',
  'case-sent': 'case-not-sent',
  'not-own-case': 'own-case',
  'asked-colleague': 'not-asked',
};

/**
 * Decisions the issue left open, made here:
 * - Nobody sets their own record through `self`: no self-promotion. An admin may set their own,
 *   through `admin`. A manager cannot be their own manager of record (the schema forbids it).
 * - The `-self` actions are not granted to `manager` or `admin` on other people: an admin
 *   forgets someone else through `forget-other`, and only once that person has left.
 */
export const PERMISSION_TABLE = {
  'read-record': {
    summary: 'Read a teammate record (`/career me`, `/career who`)',
    self: true,
    manager: true,
    admin: true,
    other: false,
  },
  'set-record': {
    summary: 'Set framework, level, since date or manager',
    self: false,
    manager: true,
    admin: true,
    other: false,
  },
  'pause-self': {
    summary: 'Pause and resume (`/career pause`, `/career resume`)',
    self: true,
    manager: false,
    admin: false,
    other: false,
  },
  'export-self': { summary: 'Export your own data', self: true, manager: false, admin: false, other: false },
  'forget-self': {
    summary: 'Delete your own data (`/career forget me`)',
    self: true,
    manager: false,
    admin: false,
    other: false,
  },
  'forget-other': {
    summary: 'Delete the data of someone who left',
    self: false,
    manager: false,
    admin: true,
    other: false,
    condition: 'target-has-left',
  },
  'checkin-self': {
    summary: 'Start, answer and share a check-in; list your check-ins (`/career checkin`, `/career history`)',
    self: true,
    manager: false,
    admin: false,
    other: false,
  },
  'read-checkin-answers': {
    summary: "See a check-in's answers and evidence",
    self: true,
    manager: true,
    admin: false,
    other: false,
    condition: 'shared-with-manager',
  },
  'rate-checkin': {
    summary: "Add the manager's ratings to a shared check-in",
    self: false,
    manager: true,
    admin: false,
    other: false,
    condition: 'shared-with-manager',
  },
  'read-checkin-counts': {
    summary: 'See how many check-ins someone has done, and when (no answers)',
    self: true,
    manager: true,
    admin: true,
    other: false,
  },
  // The target is the manager whose reports are listed: a manager lists their own (`self`), an admin
  // anyone's. Each line shows a record the reader may already read through `read-record`.
  'read-team': {
    summary: "List a manager's reports with their levels and windows (`/career team`)",
    self: true,
    manager: false,
    admin: true,
    other: false,
  },
  'celebrate-self': {
    summary: 'Let a level-up be celebrated by name in the growth channel (`/career celebrate`)',
    self: true,
    manager: false,
    admin: false,
    other: false,
  },
  // The target is the workspace: no record, so only `admin` can hold.
  'admin-growth': {
    summary: 'Set the growth channel, post a nudge now, see the next 7 days of reminders (`/career admin`)',
    self: false,
    manager: false,
    admin: true,
    other: false,
  },
  // The target is the workspace, as above. Counts, Slack ids without a record and who waits for ratings from whom:
  // never a level, an answer or a rating.
  'admin-people': {
    summary:
      'See the counts of records by team, who has no record (a page of Slack members at a time) and which shared check-ins wait for ratings (`/career admin people`)',
    self: false,
    manager: false,
    admin: true,
    other: false,
  },
  // Issue 17. The target is the person's own record: they ask about one expectation of their current or next level.
  'ask-colleague': {
    summary: 'Ask a colleague for an example of one expectation (`/career ask`, Ask for an example)',
    self: true,
    manager: false,
    admin: false,
    other: false,
  },
  // The target is the record of the person who asked. The colleague sees their name and the one expectation, never
  // their level, record or other evidence; nobody else answers, and nobody answers their own ask.
  'answer-ask': {
    summary: 'Answer an ask for an example, or decline it',
    self: false,
    manager: true,
    admin: true,
    other: true,
    condition: 'asked-colleague',
  },
  // The target is the person the case is about.
  'propose-promotion': {
    summary: 'Propose a promotion: a case for the next level (`/career propose`, Propose a promotion)',
    self: false,
    manager: true,
    admin: true,
    other: false,
  },
  'read-case': {
    summary: 'See a promotion case: the ratings side by side, the evidence for each expectation and the notes',
    self: true,
    manager: true,
    admin: true,
    other: false,
    condition: 'case-sent',
  },
  'decide-case': {
    summary:
      'Approve or decline a promotion case; choose where cases go and the threshold (`/career admin promotions`)',
    self: false,
    manager: false,
    admin: true,
    other: false,
    condition: 'not-own-case',
  },
  // Issue 17. Evidence is private to the person: a manager or an admin sees it only through a check-in the person
  // shared or a promotion case that was proposed, which carry it (their own rows), never through these.
  'save-evidence': {
    summary: 'Save evidence (Save as evidence on a message, `/career win`), and edit or delete your own entries',
    self: true,
    manager: false,
    admin: false,
    other: false,
  },
  'read-evidence': {
    summary: 'See an evidence log, grouped by expectation with its gaps (`/career evidence`)',
    self: true,
    manager: false,
    admin: false,
    other: false,
  },
} as const satisfies Record<Action, PermissionRow>;

/** One cell of the table, without the extra condition: see {@link authorize} for a full decision. */
export function can(action: Action, relation: Relation): boolean {
  return PERMISSION_TABLE[action][relation];
}

export interface Actor {
  userId: string;
  isAdmin: boolean;
}

export interface Target {
  userId: string;
  /** The manager of record as stored now: never the manager a pending change would set. */
  managerId: string | null;
  /** Needed for `forget-other`; a target without it has not been shown to have left. */
  status?: 'active' | 'paused' | 'left';
  /** For check-ins: the manager the check-in was shared with, if it was. */
  sharedWith?: string | null;
  /** For an ask for an example: the colleague asked. */
  askedColleague?: string | null;
  /** For a promotion case: whether the person sent it on to the admins. */
  caseSent?: boolean;
}

/**
 * Every relation that holds: an admin looking at their own record is both `self` and `admin`, and
 * may do what either allows.
 */
export function relationsOf(actor: Actor, target: Target): Relation[] {
  const relations: Relation[] = [];
  if (actor.userId === target.userId) relations.push('self');
  if (target.managerId !== null && target.managerId === actor.userId) relations.push('manager');
  if (actor.isAdmin) relations.push('admin');
  return relations.length > 0 ? relations : ['other'];
}

/**
 * The strongest relation, for display ("viewing as manager"): admin, then manager, then self.
 * Decisions use {@link authorize}, which considers every relation that holds.
 */
export function relationOf(actor: Actor, target: Target): Relation {
  const relations = relationsOf(actor, target);
  for (const r of ['admin', 'manager', 'self'] as const) if (relations.includes(r)) return r;
  return 'other';
}

export type Decision =
  | { allowed: true; as: Relation }
  | {
      allowed: false;
      reason: 'not-permitted' | 'target-has-not-left' | 'not-shared' | 'not-asked' | 'case-not-sent' | 'own-case';
    };

/**
 * The full decision: some relation the actor holds must allow the action, and the action's extra
 * condition must hold. For a target with no record yet (or no manager of record), only `self` and
 * `admin` can hold, so only an admin can create someone's record.
 */
export function authorize(action: Action, actor: Actor, target: Target): Decision {
  const row: PermissionRow = PERMISSION_TABLE[action];
  const relations = relationsOf(actor, target).filter((r) => row[r]);
  if (relations.length === 0) return { allowed: false, reason: 'not-permitted' };
  const as = relations.find((r) => conditionHolds(row.condition, r, actor, target));
  if (as === undefined) return { allowed: false, reason: CONDITION_REASONS[row.condition as Condition] };
  return { allowed: true, as };
}

function conditionHolds(condition: Condition | undefined, as: Relation, actor: Actor, target: Target): boolean {
  if (condition === undefined || !CONDITION_LIMITS[condition].includes(as)) return true;
  if (condition === 'target-has-left') return target.status === 'left';
  if (condition === 'asked-colleague') return target.askedColleague != null && target.askedColleague === actor.userId;
  if (condition === 'case-sent') return target.caseSent === true;
  if (condition === 'not-own-case') return actor.userId !== target.userId;
  return target.sharedWith != null && target.sharedWith === actor.userId;
}

const RELATION_HEADINGS: Record<Relation, string> = {
  self: 'The person',
  manager: 'Their manager',
  admin: 'Admin',
  other: 'Anyone else',
};

const CONDITION_NOTES: Record<Condition, string> = {
  'target-has-left': 'only for someone whose status is "left"',
  'shared-with-manager': 'only after the person shares it with them',
  'asked-colleague': 'only the colleague asked',
  'case-sent': 'only once the person sent it on',
  'not-own-case': 'not a case about themselves',
};

/** The table as Markdown, for the README. */
export function permissionTableMarkdown(): string {
  const header = `| Action | What it is | ${RELATIONS.map((r) => RELATION_HEADINGS[r]).join(' | ')} |`;
  const rule = `|---|---|${RELATIONS.map(() => ':---:').join('|')}|`;
  const rows = ACTIONS.map((action) => {
    const row: PermissionRow = PERMISSION_TABLE[action];
    const cells = RELATIONS.map((r) => {
      if (!row[r]) return '—';
      return row.condition && CONDITION_LIMITS[row.condition].includes(r)
        ? `yes, ${CONDITION_NOTES[row.condition]}`
        : 'yes';
    });
    return `| \`${action}\` | ${row.summary} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}
