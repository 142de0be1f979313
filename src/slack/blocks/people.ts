import { DateTime } from 'luxon';
import type { AdminPeopleView, RecordCounts, WithoutRecordPage } from '../../growth/people.js';
import { escapeMrkdwn as esc } from '../mrkdwn.js';
import { actions, type Block, button, context, divider, type Message, section, sections } from './kit.js';

/** `/career admin people`'s one button: the next page of Slack's member list. */
export const PEOPLE_ACTION = { next: 'admin.people.next' } as const;

/** Mentions put in one section: 50 of the longest ids (`<@W0123456789AB>`) stay far below 3,000 characters. */
const MENTIONS_PER_SECTION = 50;

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The day a check-in was shared, in the reader's zone (Slack's date formatting), with a UTC fallback. */
function sharedOn(instant: string): string {
  const fallback = DateTime.fromISO(instant, { zone: 'UTC' }).setLocale('en-GB').toFormat('d LLL yyyy');
  return `<!date^${Math.floor(Date.parse(instant) / 1000)}^{date_short}|${fallback}>`;
}

function countsBlocks(counts: RecordCounts): Block[] {
  const pausedWords = (n: number) => (n > 0 ? ` (${n.toLocaleString('en-US')} paused)` : '');
  const head = `*People with a record: ${counts.current.toLocaleString('en-US')}*${pausedWords(counts.paused)}${
    counts.left > 0 ? ` · ${plural(counts.left, 'more has left', 'more have left')}` : ''
  }`;
  if (counts.teams.length === 0)
    return [section(`${head}\nNobody has a record yet: \`/career set @person <team> <level>\` adds one.`)];
  return sections(undefined, [
    head,
    ...counts.teams.map((t) => `• ${esc(t.name)}: ${t.people.toLocaleString('en-US')}${pausedWords(t.paused)}`),
  ]);
}

function withoutRecordBlocks(page: WithoutRecordPage): Block[] {
  const title = `*Without a record, page ${page.number} of Slack's member list*`;
  if (page.kind === 'unavailable') {
    const why =
      page.reason === 'invalid-cursor'
        ? 'Slack no longer knows that page of its member list (its pages expire). Run `/career admin people` again to start over.'
        : "Slack didn't list its members just now (it allows about 20 lists a minute). Try again in a minute.";
    const retry = page.cursor && page.reason === 'unavailable' ? nextButton(page.cursor, page.number, 'Try again') : [];
    return [section(`${title}\n${why}`), ...retry];
  }
  const blocks: Block[] = [];
  const summary =
    page.ids.length === 0
      ? `Everyone on this page has a record (${plural(page.humans, 'person', 'people')} checked).`
      : `${plural(page.ids.length, 'person', 'people')} of the ${plural(page.humans, 'person', 'people')} on this page ${page.ids.length === 1 ? 'has' : 'have'} no record:`;
  blocks.push(section(`${title}\n${summary}`));
  for (let i = 0; i < page.ids.length; i += MENTIONS_PER_SECTION) {
    blocks.push(
      section(
        page.ids
          .slice(i, i + MENTIONS_PER_SECTION)
          .map((id) => `<@${id}>`)
          .join(' '),
      ),
    );
  }
  const more = page.nextCursor !== null;
  blocks.push(
    context(
      `Ripple keeps no member list: it reads Slack's a page at a time (up to 200 members, bots and deactivated accounts left out), so this count is for this page only.${
        more ? '' : ' This is the last page.'
      }`,
    ),
  );
  if (page.nextCursor !== null) blocks.push(...nextButton(page.nextCursor, page.number + 1, 'Next page'));
  return blocks;
}

function nextButton(cursor: string, number: number, words: string): Block[] {
  return actions([button(words, PEOPLE_ACTION.next, JSON.stringify({ c: cursor, p: number }))]);
}

function awaitingBlocks(awaiting: AdminPeopleView['awaiting']): Block[] {
  if (awaiting.total === 0)
    return [section("*Check-ins waiting for ratings*\nNone: every shared check-in has its manager's ratings.")];
  const total = awaiting.more
    ? `more than ${awaiting.total.toLocaleString('en-US')}`
    : awaiting.total.toLocaleString('en-US');
  const lines = awaiting.shown.map(
    (a) => `• <@${a.managerId}> to rate <@${a.userId}>'s check-in, shared ${sharedOn(a.sharedAt)}`,
  );
  const rest = awaiting.more || awaiting.total > awaiting.shown.length;
  return [
    ...sections(`Check-ins waiting for ratings: ${total}`, lines),
    context(
      `${rest ? `The ${awaiting.shown.length} most recently shared are listed. ` : ''}Each manager sees theirs in their digest and can rate from the shared message. Nobody's answers are shown here.`,
    ),
  ];
}

/** `/career admin people`: counts, one page of people without a record, and the ratings managers owe. */
export function adminPeopleMessage(view: AdminPeopleView): Message {
  const { records, withoutRecord, awaiting } = view;
  const noRecord =
    withoutRecord.kind === 'page'
      ? `; ${withoutRecord.ids.length} without a record on page ${withoutRecord.number} of Slack's member list`
      : '';
  const n = (k: number) => k.toLocaleString('en-US');
  const text = `People in Ripple: ${n(records.current)} with a record${noRecord}; ${awaiting.more ? 'more than ' : ''}${n(awaiting.total)} check-ins waiting for ratings.`;
  return {
    text,
    blocks: [
      ...countsBlocks(records),
      divider(),
      ...withoutRecordBlocks(withoutRecord),
      divider(),
      ...awaitingBlocks(awaiting),
    ],
  };
}
