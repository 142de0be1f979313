import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import * as evidence from '../../../evidence/service.js';
import { saveAfterAck } from '../../after-ack.js';
import {
  entryNotFoundMessage,
  evidenceEditedMessage,
  evidenceSavedMessage,
  NO_PARTICULAR,
  NOTE_INPUT,
  NOTE_MAX_CHARS,
  notOfferedMessage,
  PICKER_INPUT,
} from '../../blocks/evidence.js';
import type { Message } from '../../blocks/kit.js';
import { noRecordMessage } from '../../blocks/no-record.js';
import { evidenceDeps, postToResponseUrl } from '../../evidence.js';
import type { SlackServices } from '../../services.js';
import { callerOf, meta } from './submission.js';

type Args = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

const responseUrl = z.string().url().max(2000).nullable();
const saveMeta = z.object({
  c: z.string().min(1).max(40),
  ts: z.string().min(1).max(40),
  p: z.string().max(500).nullable(),
  a: z.string().max(40).nullable(),
  r: responseUrl,
  t: z.string().min(1).max(3000),
});
const editMeta = z.object({ i: z.number().int().positive(), r: responseUrl });

/** What the person picked and wrote in an evidence form. */
function answers(view: ViewSubmitAction['view']): { picked: evidence.Picked; note: string | null } {
  const value = view.state.values[PICKER_INPUT.block]?.[PICKER_INPUT.action]?.selected_option?.value;
  const note = view.state.values[NOTE_INPUT.block]?.[NOTE_INPUT.action]?.value?.trim().slice(0, NOTE_MAX_CHARS);
  return { picked: !value || value === NO_PARTICULAR ? null : { expectationId: value }, note: note || null };
}

/** Where the person acted (the channel of the shortcut, the list's message), or their DM when Slack gave no url. */
function teller(services: SlackServices, caller: evidence.Caller, url: string | null) {
  return async (m: Message) => {
    if (url) await postToResponseUrl(url, { ...m, replace_original: false });
    else await services.notifier.dm(caller.teamId, caller.userId, [m]);
  };
}

/** Save as evidence, submitted: kept (or the first entry from that message updated), said where they used it. */
export function saveEvidenceSubmitted(services: SlackServices) {
  return async ({ ack, body, view, logger }: Args) => {
    await ack();
    if (body.type !== 'view_submission') return;
    services.later('Saving evidence from a message', async () => {
      const m = meta(saveMeta, view.private_metadata);
      if (!m) return;
      const caller = callerOf(body);
      const tell = teller(services, caller, m.r);
      const { picked, note } = answers(view);
      const outcome = await saveAfterAck(
        () =>
          evidence.saveMessage(evidenceDeps(services), caller, {
            channelId: m.c,
            ts: m.ts,
            text: m.t,
            authorId: m.a,
            permalink: m.p,
            picked,
            note,
          }),
        { logger, what: 'Saving evidence from a message', tell, again: 'submit' },
      );
      if (!outcome) return;
      if (outcome.kind === 'no-record') return tell(noRecordMessage());
      if (outcome.kind === 'not-offered') return tell(notOfferedMessage());
      await tell(evidenceSavedMessage(outcome));
    });
  };
}

/** Edit, submitted: the entry's expectation and note changed, if it is still the person's. */
export function editEvidenceSubmitted(services: SlackServices) {
  return async ({ ack, body, view, logger }: Args) => {
    await ack();
    if (body.type !== 'view_submission') return;
    services.later('Editing evidence', async () => {
      const m = meta(editMeta, view.private_metadata);
      if (!m) return;
      const caller = callerOf(body);
      const tell = teller(services, caller, m.r);
      const outcome = await saveAfterAck(() => evidence.editEntry(evidenceDeps(services), caller, m.i, answers(view)), {
        logger,
        what: 'Editing evidence',
        tell,
        again: 'submit',
      });
      if (!outcome) return;
      if (outcome.kind === 'no-record') return tell(noRecordMessage());
      if (outcome.kind === 'not-offered') return tell(notOfferedMessage());
      if (outcome.kind === 'not-found') return tell(entryNotFoundMessage());
      await tell(evidenceEditedMessage(outcome.entry, outcome.choice));
    });
  };
}
