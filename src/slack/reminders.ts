import { promotionWindow, titlesForPeople } from '../career/window.js';
import type { NudgesCommand } from '../commands/grammar.js';
import { lastCheckinOn, ledgerFacts, windowKeyOf, windowSteps } from '../reminders/engine.js';
import { DEFAULT_POLICY, localDate, upcomingReminders } from '../reminders/schedule.js';
import { asOfToday } from '../teammates/rules.js';
import type { Caller } from '../teammates/service.js';
import { optionalNudgesMessage } from './blocks/growth.js';
import type { Message } from './blocks/kit.js';
import { nudgesMessage, nudgesNoRecordMessage, nudgesSwitchedMessage } from './blocks/reminders.js';
import type { SlackServices } from './services.js';

/**
 * `/career nudges`, `/career nudges off`, `/career nudges on`: a teammate's own reminders. Only
 * local data, so the reply goes in the ack. Turning them off or on changes the record's `nudges`,
 * which the reminder engine re-plans at its next tick.
 */
export async function nudgesReply(services: SlackServices, command: NudgesCommand, caller: Caller): Promise<Message> {
  const { stores, catalog, clock } = services.ctx;
  const now = clock.now();
  const stored = await stores.teammates.get(caller.teamId, caller.userId);
  if (stored === null) return nudgesNoRecordMessage();
  if (command.optional && command.turn !== undefined) {
    // Stored beside the record, and the record marked changed in the same unit, so the planner looks again.
    await stores.unitOfWork.run(async (repos) => {
      await repos.growth.setOptionalNudges(caller.teamId, caller.userId, command.turn === 'on', now.toISOString());
      await repos.teammates.markChanged(caller.teamId, caller.userId);
    });
    return optionalNudgesMessage(command.turn === 'on');
  }
  if (command.turn !== undefined) {
    await stores.teammates.setNudges(
      caller.teamId,
      caller.userId,
      command.turn === 'on' ? 'dm' : 'off',
      now.toISOString(),
    );
    return nudgesSwitchedMessage(command.turn === 'on');
  }
  const today = localDate(now, stored.tz);
  const { record, pauses } = asOfToday(stored, await stores.teammates.pauses(stored.teamId, stored.userId), today);
  const found = windowSteps(catalog, record);
  const timeframe = found?.level.timeframe ?? null;
  const window = promotionWindow({ since: record.since, timeframe, pauses, today });
  const upcoming = async () => {
    if (window.phase === 'none') return [];
    const ledger = await ledgerFacts(stores.reminders, record.teamId, record.userId, windowKeyOf(record));
    return upcomingReminders(
      {
        since: record.since,
        timeframe,
        pauses,
        today,
        sent: ledger.sent,
        lastPromptOn: ledger.lastPromptOn,
        lastCheckinOn: await lastCheckinOn(stores.checkins, record),
      },
      DEFAULT_POLICY,
    );
  };
  return nudgesMessage({
    enabled: record.nudges !== 'off',
    paused: record.status === 'paused',
    optionalOff: (await stores.growth.preferences(caller.teamId, caller.userId)).optionalNudges === 'off',
    window:
      window.phase === 'none' || found === null
        ? null
        : {
            titles: found.steps.map((l) => titlesForPeople(l.titles, 'your')),
            opensOn: window.opensOn,
            closesOn: window.closesOn,
            optional: timeframe?.optional ?? false,
          },
    // The engine's rule, with what was sent and the last check-in: what is listed is what will come.
    upcoming: await upcoming(),
  });
}
