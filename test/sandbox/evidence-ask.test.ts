import { describe, expect, it } from 'vitest';
import { answerField, fieldPrompt, modalOf, stateValues } from '../../src/sandbox/modal.js';
import { askModal } from '../../src/slack/blocks/evidence-ask.js';
import { runSandboxLines } from '../support/sandbox.js';

/** Issue 17, item 8's part for "Ask for an example": the whole ask answered offline, the colleague as `/as chen`. */
describe('the sandbox: asking a colleague for an example', () => {
  it('@ben asks, /as chen answers from the DM, /as ben keeps it in the evidence log', async () => {
    const { output, ctx } = await runSandboxLines([
      '/career ask @chen ship regularly',
      '/as chen',
      '1',
      'Ben shipped the newsletter every week.',
      '/as ben',
      '1',
      '/career asks',
    ]);
    expect(output).toContain('DM from Ripple to @chen');
    expect(output).toContain('@ben is gathering examples of their work');
    expect(output).toContain('(pressed "Write an example")');
    expect(output).toContain('You sent @ben an example. Thank you!');
    expect(output).toContain('@chen sent you an example of:');
    expect(output).toContain('(pressed "Keep it")');
    expect(output).toContain('Kept in your evidence');
    expect(output).toContain('@chen answered: kept in your evidence');
    const log = await ctx.stores.evidence.all('T0RIPPLE01', 'U0SBBEN001');
    expect(log).toMatchObject([
      { source: 'colleague', authorId: 'U0SBCHEN01', text: 'Ben shipped the newsletter every week.' },
    ]);
  });

  it('/as chen declines: @ben hears nothing and his list still says waiting', async () => {
    const { output } = await runSandboxLines([
      '/career ask @chen ship regularly',
      '/as chen',
      '2',
      '/as ben',
      '/career asks',
    ]);
    expect(output).toContain('No example sent. @ben is not told.');
    expect(output).not.toContain('DM from Ripple to @ben');
    expect(output).toContain('asked @chen, waiting for an answer');
  });
});

describe('the sandbox ask form', () => {
  it('asks for the colleague by @name, as Slack’s people picker would send it', () => {
    const form = modalOf(
      askModal({ levelId: 'level-3', expectationId: 'ship-it', text: 'Ship it.' }) as unknown as Record<
        string,
        unknown
      >,
    );
    if (!form) throw new Error('no form');
    expect(fieldPrompt(form)).toContain('type an @name');
    const people = (name: string) => (name === 'chen' ? 'U0SBCHEN01' : undefined);
    expect(answerField(form, '@nobody', people)).toBe('No one called "@nobody" here.');
    expect(answerField(form, '@chen', people)).toBe(true);
    expect(answerField(form, '-', people)).toBe(true);
    expect(stateValues(form)).toEqual({
      ask_colleague: { user: { type: 'users_select', selected_user: 'U0SBCHEN01' } },
      ask_context: { text: { type: 'plain_text_input', value: null } },
    });
  });
});
