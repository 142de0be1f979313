import { describe, expect, it } from 'vitest';
import { router } from '../../src/slack/listeners/router.js';
import { startTestApp } from '../support/app.js';

describe('router', () => {
  const named = (name: string) => async () => {
    void name;
  };
  const exact = named('exact');
  const rate = named('rate');
  const rateSpecial = named('rate-special');
  const routes = router([
    ['checkin.rate.', rate],
    ['checkin.rate.special.', rateSpecial],
    ['checkin.rate', exact],
  ]);

  it.each([
    ['an exact id', 'checkin.rate', exact],
    ['an id under a prefix', 'checkin.rate.sometimes', rate],
    ['the longest prefix first', 'checkin.rate.special.x', rateSpecial],
    ['nothing for an unknown id', 'checkin.other', undefined],
    ['nothing for a prefix without its dot', 'checkin.ratex', undefined],
    ['nothing without an id', undefined, undefined],
  ])('finds %s', (_label, id, handler) => {
    expect(routes.find(id)).toBe(handler);
  });
});

describe('requests nothing is routed to', () => {
  it('a button Ripple does not know is acknowledged, and nothing else happens', async () => {
    const t = await startTestApp();
    try {
      const reply = await t.driver.action({ actionId: 'career.retired-feature', value: '{}' });
      expect(reply.status).toBe(200);
      expect(reply.calls).toEqual([]);
      expect(reply.responses).toEqual([]);
      expect(t.errors).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});
