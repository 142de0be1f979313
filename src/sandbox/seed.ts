import { addMonths, utcDateOf } from '../career/dates.js';
import type { AppContext } from '../context.js';
import type { Persona, SampleMessage } from './sandbox.js';

interface SampleRecord {
  framework: string;
  level: string;
  monthsAgo: number;
  manager?: string;
}

const PEOPLE: readonly (Persona & { record?: SampleRecord })[] = [
  {
    id: 'U0SBBEN001',
    name: 'ben',
    real_name: 'Ben Okafor',
    tz: 'Europe/London',
    role: 'Marketing level 2 (Strategist) for 10 months, reports to @maya',
    record: { framework: 'marketing', level: 'level-2', monthsAgo: 10, manager: 'U0SBMAYA01' },
  },
  {
    id: 'U0SBMAYA01',
    name: 'maya',
    real_name: 'Maya Lindqvist',
    tz: 'Europe/Stockholm',
    role: 'manager of @ben and @dee; Marketing level 4 (Senior)',
    record: { framework: 'marketing', level: 'level-4', monthsAgo: 20, manager: 'U0SBANA001' },
  },
  {
    id: 'U0SBANA001',
    name: 'ana',
    real_name: 'Ana Souza',
    tz: 'America/Sao_Paulo',
    is_admin: true,
    role: 'Ripple admin (a Slack workspace admin); Staff Engineer',
    record: { framework: 'engineering', level: 'staff-engineer', monthsAgo: 30 },
  },
  {
    id: 'U0SBCHEN01',
    name: 'chen',
    real_name: 'Chen Wei',
    tz: 'Asia/Singapore',
    role: 'Software Engineer II for 14 months, reports to @ana',
    record: { framework: 'engineering', level: 'software-engineer-ii', monthsAgo: 14, manager: 'U0SBANA001' },
  },
  {
    id: 'U0SBDEE001',
    name: 'dee',
    real_name: 'Dee Mensah',
    tz: 'America/New_York',
    role: 'Happiness Hero II for 4 months, reports to @maya',
    record: { framework: 'happiness', level: 'happiness-hero-ii', monthsAgo: 4, manager: 'U0SBMAYA01' },
  },
  {
    id: 'U0SBEVE001',
    name: 'eve',
    real_name: 'Eve Laurent',
    tz: 'Europe/Paris',
    role: 'joined this week: no career record yet',
  },
];

/** A few messages in the sandbox's channels, for `/messages` and `/shortcut <n>` (Save as evidence on one). */
const MESSAGES: readonly SampleMessage[] = [
  {
    channel: 'launches',
    user: 'U0SBMAYA01',
    text: 'Huge thanks to <@U0SBBEN001> for turning our ideas into shipped projects: the spring campaign went out on time!',
  },
  {
    channel: 'launches',
    user: 'U0SBBEN001',
    text: 'Spring campaign results: sign-ups up 18% week on week. Here is how we measured the impact of each channel.',
  },
  { channel: 'launches', bot: 'B0SBDEPLOY', text: 'Deploy finished: marketing site v42 is live.' },
  {
    channel: 'general',
    user: 'U0SBCHEN01',
    text: 'Thanks <@U0SBBEN001>, the blog post you drafted with the support team answered every question we had.',
  },
];

/**
 * A small sample company for the sandbox: an admin, a manager and reports across the three
 * frameworks, with dates relative to today so windows are open, opening and closed.
 */
export async function seedSandbox(
  ctx: AppContext,
): Promise<{ people: Persona[]; intro: string[]; messages: SampleMessage[] }> {
  const teamId = 'T0RIPPLE01';
  const now = ctx.clock.now();
  const today = utcDateOf(now);
  for (const p of PEOPLE) {
    if (!p.record) continue;
    const framework = ctx.catalog.get(p.record.framework);
    // A team may have replaced the default frameworks: seed only what still exists.
    if (!framework || !ctx.catalog.levelById(framework, p.record.level)) continue;
    await ctx.stores.teammates.upsert({
      teamId,
      userId: p.id,
      frameworkId: framework.id,
      levelId: p.record.level,
      since: addMonths(today, -p.record.monthsAgo),
      managerId: p.record.manager ?? null,
      changedBy: 'sandbox',
      at: now.toISOString(),
      note: 'Sample data for the sandbox',
    });
    if (p.tz) await ctx.stores.teammates.setTimeZone(teamId, p.id, p.tz, now.toISOString());
  }
  return {
    people: PEOPLE.map(({ record: _record, ...persona }) => persona),
    messages: [...MESSAGES],
    intro: [
      'The sandbox workspace has sample people: @ben, @maya (his manager), @ana (admin), @chen, @dee, and @eve (no record yet).',
      'Try: /career me · /career level 3 marketing · /as maya then /career who @ben · /people',
      'Evidence: /messages lists a few channel messages; /shortcut 1 saves one as evidence (as @ben), /career evidence lists it.',
    ],
  };
}
