import type { NewEvidence } from '../../src/ports/evidence.js';
import type { TestApp } from './app.js';
import { BEN, USERS } from './people.js';

/** Chen, a colleague who writes about Ben in channels: the author of saved messages in the evidence tests. */
export const CHEN = 'U0CHEN0001';
export const USERS_AND_CHEN = [...USERS, { id: CHEN, name: 'chen' }];

/**
 * An entry in Ben's evidence log (Marketing), kept now by the app's clock, straight through the store: saving
 * messages and `/career win` are issue 17's first part. `expectationId` is one of Level 2's, or Level 3's
 * `ideas-into-shipped-projects`; null is "no particular one".
 */
export function keepEvidence(t: TestApp, text: string, expectationId: string | null, extra: Partial<NewEvidence> = {}) {
  return t.ctx.stores.evidence.add({
    teamId: t.api.teamId,
    userId: BEN,
    source: 'win',
    text,
    frameworkId: 'marketing',
    target: expectationId
      ? { levelId: expectationId === 'ideas-into-shipped-projects' ? 'level-3' : 'level-2', expectationId }
      : null,
    at: t.clock.now().toISOString(),
    ...extra,
  });
}

/** The evidence form's `state.values` as Slack sends them: the expectation picked and the note typed (null: none). */
export function evidenceFormValues(expectation: string | undefined, note: string | null) {
  return {
    evidence_target: {
      picked: {
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: 'x' }, value: expectation },
      },
    },
    evidence_note: { note: { type: 'plain_text_input', value: note } },
  };
}
