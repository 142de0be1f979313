import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { DateTime } from 'luxon';
import { daysBetween, formatDuration } from '../career/dates.js';
import { areasForPeople } from '../career/window.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/migrate.js';
import { placeName } from '../frameworks/describe.js';
import type { Reply } from '../offline-slack/driver.js';
import type { FakeUser } from '../offline-slack/fake-slack-api.js';
import { type Offline, startOffline } from '../offline-slack/offline.js';
import type { DeliverySchedule } from '../reminders/schedule.js';
import { plainFromSlack } from '../text/mrkdwn.js';
import { type MovableClock, parseClockCommand } from './clock.js';
import { answerField, fieldAbove, fieldPrompt, modalOf, type OpenModal, stateValues } from './modal.js';
import { ansiStyle, channelNames, plainStyle, type RenderedButton, renderBlocks, type Style } from './render.js';
import { type SandboxTicks, sandboxTicks, type TickStep } from './ticks.js';

/** Someone the sandbox can act as. */
export interface Persona extends FakeUser {
  /** One line shown by `/people`, e.g. "admin" or "Marketing level 2, reports to @maya". */
  role: string;
}

/** A message in a sandbox channel, written by a person (`user`) or a bot (`bot`), for Save as evidence. */
export interface SampleMessage {
  channel: string;
  user?: string;
  bot?: string;
  /** As Slack sends it: mentions as `<@U…>`. */
  text: string;
}

export interface SandboxOptions {
  ctx: AppContext;
  /** The sandbox's clock (also `ctx.clock`), which `/time` moves. */
  clock?: MovableClock;
  input: Readable;
  output: Writable;
  /** People in the fake workspace; the first is who you are at the start. */
  people: readonly Persona[];
  color?: boolean;
  /** Shown once at the start, under the banner. */
  intro?: string[];
  /** The database behind `ctx`: with it (and `clock`), `/time` runs the background ticks it skips over. */
  db?: Db;
  /** REMINDER_HOURS and REMINDER_DAYS; the defaults otherwise. */
  reminderSchedule?: DeliverySchedule;
  /** Messages in the sandbox's channels: `/messages` lists them, `/shortcut <n>` uses Save as evidence on one. */
  messages?: readonly SampleMessage[];
}

interface PressableButton extends RenderedButton {
  surface:
    | { kind: 'ephemeral'; responseUrl?: string }
    | { kind: 'message'; channel: string; message: Record<string, unknown> }
    | { kind: 'view'; view: Record<string, unknown> };
}

export const SANDBOX_HELP = [
  'Type what you would type in Slack, for example:',
  '  /career level 3 marketing      /career titles engineering      /career help',
  'Sandbox commands:',
  '  <number>       press the button with that number in the last reply',
  '  /as <name>     act as someone else in the sandbox workspace',
  '  /people        who is in the sandbox workspace',
  '  /home          open your App Home tab',
  '  /messages      a few messages in the sandbox channels    /shortcut <n>   Save as evidence on message n',
  '  (a form)       shows what the form says above each field, then asks for each in turn: a number for a',
  '                 choice (nothing keeps a preselected one), text for a text box, an @name for a person; /cancel',
  "  (a picker)     a reply's picker shows its choice (▾); changing it needs Slack",
  '  /time [+30d | +2w | +1y | YYYY-MM-DD]   show or move the sandbox clock (to watch windows come and go)',
  '                 moving forward runs the background ticks in between: reminders arrive as DMs, in order,',
  '                 each at the local time it would arrive (REMINDER_HOURS, REMINDER_DAYS in the recipient zone)',
  '  /help          this list          /quit   leave (end of input works too)',
];

/**
 * The local sandbox: the real app, in-process, against the offline Slack. Reads lines from
 * `input` (a terminal or a pipe), prints replies readably, and resolves when the input ends and
 * everything pending has finished.
 */
export async function runSandbox(options: SandboxOptions): Promise<number> {
  const style: Style = options.color ? ansiStyle : plainStyle;
  const out = (line = '') => options.output.write(`${line}\n`);
  const offline: Offline = await startOffline({ ctx: options.ctx, users: options.people, logLevel: undefined });
  const people = new Map(options.people.map((p) => [p.id, p]));
  let me = options.people[0] as Persona;
  const messages = options.messages ?? [];
  let buttons: PressableButton[] = [];
  const nameOf = (id: string) => people.get(id)?.name;
  const ticks: SandboxTicks | undefined =
    options.db && options.clock
      ? sandboxTicks({
          ctx: options.ctx,
          db: options.db,
          offline,
          clock: options.clock,
          schedule: options.reminderSchedule,
        })
      : undefined;

  /** What the ticks at one instant sent: each message, labelled with its recipient's local time. */
  const printStep = async (step: TickStep) => {
    for (const call of step.calls) {
      if (call.method !== 'chat.postMessage' || call.response?.ok !== true) continue;
      const who = String(call.args.channel ?? '').replace(/^D/, '');
      const tz = (await options.ctx.stores.teammates.get(offline.api.teamId, who))?.tz ?? people.get(who)?.tz ?? 'UTC';
      let local = DateTime.fromJSDate(step.at, { zone: tz });
      if (!local.isValid) local = DateTime.fromJSDate(step.at, { zone: 'UTC' });
      const when = `${local.toFormat('ccc d LLL yyyy HH:mm')} ${local.zoneName}`;
      const reply = { status: 200, ack: undefined, responses: [], calls: [call], messages: [] };
      for (const s of collectSurfaces(reply, me.id, nameOf)) {
        const label = `${s.label} · ${when}`;
        out(style.dim(`── ${label} ${'─'.repeat(Math.max(0, 60 - label.length))}`));
        const rendered = renderBlocks(s.blocks, { style, nameOf, firstNumber: 1 });
        out(rendered.text || s.text);
        // The latest reminder's buttons (Start a check-in) can be pressed, as in the DM.
        if (rendered.buttons.length > 0) buttons = rendered.buttons.map((b) => ({ ...b, surface: s.surface }));
        out();
      }
    }
  };

  out(style.bold('Ripple local sandbox: no Slack workspace is connected.'));
  out('Everything runs on this machine against an offline stand-in for Slack; nothing is sent anywhere.');
  out('To connect a real workspace, set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN');
  out('(Socket Mode) and run npm start again: see "Connect a Slack workspace" in README.md.');
  for (const line of options.intro ?? []) out(line);
  out(`You are @${me.name} (${me.role}). Type /help for sandbox commands.`);
  out();

  let modal: OpenModal | undefined;
  const askField = () => {
    const prompt = modal ? fieldPrompt(modal) : undefined;
    const above = modal ? fieldAbove(modal) : undefined;
    if (prompt && above) out(renderBlocks(above, { style, nameOf }).text);
    if (prompt) out(prompt);
  };

  /** Who a person is as of now (their record and reports, at the sandbox's time), not as seeded. */
  const roleNow = async (p: Persona): Promise<string> => {
    const { stores, catalog, clock } = options.ctx;
    const teamId = offline.api.teamId;
    const parts: string[] = [];
    if (p.is_admin) parts.push('Ripple admin');
    const reports = (await stores.teammates.reports(teamId, p.id)).map(
      ({ record: r }) => `@${people.get(r.userId)?.name ?? r.userId}`,
    );
    if (reports.length) parts.push(`manager of ${reports.join(' and ')}`);
    const record = await stores.teammates.get(teamId, p.id);
    const framework = record ? catalog.get(record.frameworkId) : undefined;
    const level = record && framework ? catalog.levelById(framework, record.levelId) : undefined;
    if (record && framework && level) {
      // The one rounding of time at a level (formatDuration), as on the card, the team list and the digest.
      const time = formatDuration(Math.max(0, daysBetween(record.since, clock.now().toISOString().slice(0, 10))));
      const boss = record.managerId ? `, reports to @${people.get(record.managerId)?.name ?? record.managerId}` : '';
      const paused = record.status === 'paused' ? ', paused' : '';
      // Said of a person from outside (the people list, who you are now): an open area is "their area".
      parts.push(
        `${areasForPeople(placeName(framework, level, record.title), 'their')}, ${time} at the level${boss}${paused}`,
      );
    } else parts.push('no career record yet');
    return parts.join('; ');
  };
  const printedHomes = new Map<string, string>();
  let showHome = false;
  const print = (reply: Reply) => {
    // A reply without buttons (an acknowledgement of evidence, say) leaves the last ones pressable,
    // as in Slack, where the question above keeps its buttons.
    const previous = buttons;
    buttons = [];
    // A Home tab is printed when asked for (/home) or when it changed, not after every refresh.
    const surfaces = collectSurfaces(reply, me.id, nameOf).filter((s) => {
      if (s.surface.kind !== 'view') return true;
      const shown = JSON.stringify(s.blocks);
      const owner = s.label;
      if (!showHome && printedHomes.get(owner) === shown) return false;
      printedHomes.set(owner, shown);
      return true;
    });
    showHome = false;
    let shownModal = false;
    for (const call of reply.calls) {
      if (call.method !== 'views.open' || call.response?.ok !== true) continue;
      const view = asRecord(call.args.view);
      const form = modalOf(view);
      if (form) {
        out(style.dim(`── form: ${form.title} ${'─'.repeat(Math.max(0, 52 - form.title.length))}`));
        modal = form;
      } else {
        // A modal that only shows (View answers, a level from Home): printed as it reads; Close is implied.
        const title = String(asRecord(view.title).text ?? '');
        out(style.dim(`── modal: ${title} ${'─'.repeat(Math.max(0, 51 - title.length))}`));
        out(renderBlocks(Array.isArray(view.blocks) ? view.blocks : [], { style, nameOf }).text);
        shownModal = true;
      }
    }
    if (surfaces.length === 0 && !shownModal) {
      out(style.dim(reply.status === 200 ? '(no reply)' : `(Slack would show an error: HTTP ${reply.status})`));
    }
    for (const s of surfaces) {
      out(style.dim(`── ${s.label} ${'─'.repeat(Math.max(0, 60 - s.label.length))}`));
      const rendered = renderBlocks(s.blocks, { style, nameOf, firstNumber: buttons.length + 1 });
      out(rendered.text || s.text);
      buttons.push(...rendered.buttons.map((b) => ({ ...b, surface: s.surface })));
    }
    if (buttons.length === 0) buttons = previous;
    out();
    askField();
  };

  const handle = async (line: string): Promise<boolean> => {
    const trimmed = line.trim();
    if (modal) {
      if (trimmed === '/cancel') {
        modal = undefined;
        out(style.dim('(form closed: nothing was sent)'));
        out();
        return true;
      }
      const taken = answerField(
        modal,
        line,
        (name) => [...people.values()].find((p) => p.name.toLowerCase() === name.toLowerCase())?.id,
      );
      if (taken !== true) out(taken);
      if (fieldPrompt(modal)) {
        askField();
        return true;
      }
      const form = modal;
      modal = undefined;
      out(style.dim(`(submitted "${form.title}")`));
      print(
        await offline.driver.viewSubmission({
          user: me.id,
          callbackId: form.callbackId,
          privateMetadata: form.privateMetadata,
          values: stateValues(form),
        }),
      );
      return true;
    }
    if (!trimmed || trimmed.startsWith('#')) return true;
    if (/^\d+$/.test(trimmed)) {
      const b = buttons.find((x) => x.number === Number(trimmed));
      if (!b) {
        out(
          buttons.length
            ? `There is no button ${trimmed}: pick 1 to ${buttons.length}.`
            : 'There are no buttons to press.',
        );
        return true;
      }
      out(style.dim(`(pressed "${b.text}")`));
      const s = b.surface;
      print(
        await offline.driver.action({
          user: me.id,
          actionId: b.actionId,
          value: b.value,
          blockId: b.blockId,
          text: b.text,
          ...(s.kind === 'ephemeral' ? { responseUrl: s.responseUrl } : {}),
          ...(s.kind === 'message' ? { channel: s.channel, message: s.message } : {}),
          ...(s.kind === 'view' ? { view: s.view } : {}),
        }),
      );
      return true;
    }
    const [word = '', ...rest] = trimmed.split(/\s+/);
    switch (word.toLowerCase()) {
      case '/quit':
      case '/exit':
        return false;
      case '/help':
        for (const l of SANDBOX_HELP) out(l);
        out();
        return true;
      case '/people':
        for (const p of people.values()) out(`  @${p.name}${p.id === me.id ? ' (you)' : ''}: ${await roleNow(p)}`);
        out();
        return true;
      case '/as': {
        const wanted = rest.join(' ').replace(/^@/, '').toLowerCase();
        const next = [...people.values()].find((p) => p.name.toLowerCase() === wanted || p.id.toLowerCase() === wanted);
        if (!next) {
          out(
            `No one called "${wanted}" here. Try one of: ${[...people.values()].map((p) => `@${p.name}`).join(', ')}`,
          );
        } else {
          me = next;
          out(`You are now @${me.name} (${await roleNow(me)}).`);
        }
        out();
        return true;
      }
      case '/time': {
        const clock = options.clock;
        const parsed = parseClockCommand(rest.join(' '));
        if (!clock && parsed.kind !== 'show') {
          out('This sandbox was started without a movable clock.');
        } else if (parsed.kind === 'invalid') {
          out('Try /time +30d, /time +2w, /time +1y, /time -1d or /time 2027-01-15.');
        } else {
          const from = options.ctx.clock.now();
          if (parsed.kind === 'advance') clock?.advanceDays(parsed.days);
          if (parsed.kind === 'jump') clock?.jumpTo(parsed.date);
          if (ticks && clock && options.ctx.clock.now() > from) {
            // Back to where we were, then forward tick by tick, delivering what falls due on the way.
            const to = options.ctx.clock.now();
            clock.setTo(from);
            await ticks.runUntil(to, printStep);
          }
          out(`Sandbox time: ${options.ctx.clock.now().toISOString().replace('T', ' ').slice(0, 16)} UTC`);
        }
        out();
        return true;
      }
      case '/messages':
        if (messages.length === 0) out('There are no sample messages in this sandbox.');
        messages.forEach((m, i) => {
          const who = m.user ? `@${nameOf(m.user) ?? m.user}` : 'a bot';
          out(`  [${i + 1}] #${m.channel} · ${who}: ${plainFromSlack(withNames(m.text, nameOf))}`);
        });
        out(
          style.dim('  /shortcut <n> uses Save as evidence on message n, as you (the ⋮ menu on a message in Slack).'),
        );
        out();
        return true;
      case '/shortcut': {
        const n = Number(rest[0]);
        const m = Number.isInteger(n) ? messages[n - 1] : undefined;
        if (!m) {
          out(messages.length ? `Pick a message: /shortcut 1 to ${messages.length} (see /messages).` : 'No messages.');
          out();
          return true;
        }
        const channel = sandboxChannelId(m.channel);
        channelNames.set(channel, m.channel);
        out(style.dim(`(Save as evidence on message ${n} in #${m.channel})`));
        print(
          await offline.driver.messageAction({
            user: me.id,
            channel,
            message: {
              ts: `${1_700_000_000 + n}.000100`,
              text: m.text,
              ...(m.user ? { user: m.user } : {}),
              ...(m.bot ? { bot_id: m.bot, subtype: 'bot_message' } : {}),
            },
          }),
        );
        return true;
      }
      case '/home':
        showHome = true;
        print(await offline.driver.event({ type: 'app_home_opened', user: me.id, channel: `D${me.id}`, tab: 'home' }));
        return true;
      default:
        if (word.startsWith('/') && word !== '/career') {
          out(`Only /career is a Slack command here (and the sandbox's own: /help). "${word}" isn't one.`);
          out();
          return true;
        }
        if (word === '/career') {
          print(await offline.driver.command(withMentions(rest.join(' '), people), { user: me.id }));
          return true;
        }
        // Anything else is a direct message to the bot, as in a check-in conversation.
        print(
          await offline.driver.event({
            type: 'message',
            channel_type: 'im',
            channel: `D${me.id}`,
            user: me.id,
            text: withMentions(trimmed, people),
            ts: `${Math.floor(options.ctx.clock.now().getTime() / 1000)}.000100`,
          }),
        );
        return true;
    }
  };

  const lines = createInterface({ input: options.input, terminal: false });
  try {
    for await (const line of lines) {
      let keepGoing: boolean;
      try {
        keepGoing = await handle(line);
      } catch (err) {
        out(`The sandbox could not run that: ${(err as Error).message}`);
        keepGoing = true;
      }
      if (!keepGoing) break;
    }
  } finally {
    lines.close();
    await offline.stop();
  }
  return 0;
}

/** `<@U…>` as `<@U…|name>` for the sandbox's people, so the plain text reads "@ben". */
function withNames(text: string, nameOf: (id: string) => string | undefined): string {
  return text.replace(/<@([UW][A-Z0-9]+)>/g, (whole, id: string) => {
    const name = nameOf(id);
    return name ? `<@${id}|${name}>` : whole;
  });
}

/**
 * Slack turns a picked @-mention into `<@U123|name>` and a picked channel into `<#C123|name>`; the
 * sandbox does the same for its people and for any `#channel` (the bot is in every sandbox channel).
 */
export function withMentions(text: string, people: ReadonlyMap<string, Persona>): string {
  return text
    .replace(/(^|\s)@([\w.-]+)/g, (whole, pre: string, name: string) => {
      const p = [...people.values()].find((x) => x.name.toLowerCase() === name.toLowerCase());
      return p ? `${pre}<@${p.id}|${p.name}>` : whole;
    })
    .replace(/(^|\s)#([a-z0-9_-]{1,80})(?=\s|$)/g, (_whole, pre: string, name: string) => {
      const id = sandboxChannelId(name);
      channelNames.set(id, name);
      return `${pre}<#${id}|${name}>`;
    });
}

/** A stable channel id for a channel name in the sandbox: `#growth` is always the same channel. */
export function sandboxChannelId(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return `C0${hash.toString(36).toUpperCase().padStart(8, '0')}`;
}

interface Surface {
  label: string;
  text: string;
  blocks: unknown[];
  surface: PressableButton['surface'];
}

function asRecord(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {};
}

/** Every place a reply showed up, labelled as a Slack user would see it. */
function collectSurfaces(reply: Reply, me: string, nameOf: (id: string) => string | undefined): Surface[] {
  const person = (id: string) => (id === me ? 'you' : `@${nameOf(id) ?? id}`);
  const surfaces: Surface[] = [];
  // Home tabs come last, apart from the reply and the DMs it caused.
  const homes: Surface[] = [];
  const addMessage = (label: string, m: Record<string, unknown>, surface: Surface['surface']) => {
    surfaces.push({
      label,
      text: String(m.text ?? ''),
      blocks: Array.isArray(m.blocks) ? m.blocks : [],
      surface,
    });
  };
  const ack = asRecord(reply.ack);
  if (ack.text !== undefined || ack.blocks !== undefined) {
    addMessage('only visible to you', ack, { kind: 'ephemeral' });
  }
  for (const call of reply.calls) {
    if (call.response?.ok !== true) continue;
    const args = call.args;
    const channel = String(args.channel ?? '');
    const who = channel.startsWith('D') ? channel.slice(1) : channel;
    if (call.method === 'chat.postMessage' || call.method === 'chat.update') {
      const label =
        channel.startsWith('D') || channel.startsWith('U')
          ? `DM from Ripple to ${person(who)}`
          : `in #${channelNames.get(channel) ?? channel}`;
      const ts = String(asRecord(call.response).ts ?? args.ts ?? '');
      addMessage(call.method === 'chat.update' ? `${label} (updated)` : label, args, {
        kind: 'message',
        channel: String(asRecord(call.response).channel ?? channel),
        message: { ...args, ts },
      });
    } else if (call.method === 'chat.postEphemeral') {
      addMessage('only visible to you', args, { kind: 'ephemeral' });
    } else if (call.method === 'views.publish') {
      const view = asRecord(args.view);
      const owner = String(args.user_id ?? '');
      homes.push({
        label: `App Home of ${person(owner)}`,
        text: '',
        blocks: Array.isArray(view.blocks) ? view.blocks : [],
        surface: { kind: 'view', view: { id: `V${owner}`, type: 'home', ...view } },
      });
    }
  }
  // response_url replies (ephemeral, often updating the message in place) come after the calls.
  for (const raw of reply.responses) {
    const r = asRecord(raw);
    const label = r.replace_original === true ? 'only visible to you (updated)' : 'only visible to you';
    addMessage(label, r, { kind: 'ephemeral' });
  }
  return [...surfaces, ...homes];
}
