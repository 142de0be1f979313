import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { jsonLogger, MAX_LOGGED_ARGUMENT, scrub } from '../src/log.js';
import { startTestApp } from './support/app.js';
import { buttonsOf, visibleText } from './support/blocks.js';

describe('scrub', () => {
  it.each([
    ['an email', 'lookup of ana.souza@example.com failed', 'lookup of [email] failed'],
    ['a bot token', 'token xoxb-123-456-abcDEF rejected', 'token [token] rejected'],
    ['an app token', 'xapp-1-A0-xyz', '[token]'],
    ['a signature', 'sig v0=0123456789abcdef0123456789abcdef', 'sig [signature]'],
  ])('removes %s', (_label, input, expected) => {
    expect(scrub(input)).toBe(expected);
  });

  it('keeps the shape of a payload and only the size of its texts', () => {
    const body = {
      user: { id: 'U0ANA', real_name: 'Ana Souza', profile: { title: 'Staff Engineer' } },
      pad: 'x'.repeat(400),
    };
    expect(scrub(body)).toBe(
      '{"user":{"id":"U0ANA","real_name":"[9 characters]","profile":{"title":"[14 characters]"}},"pad":"[400 characters]"}',
    );
    expect(scrub('short message')).toBe('short message');
    expect(scrub('y'.repeat(MAX_LOGGED_ARGUMENT))).toHaveLength(MAX_LOGGED_ARGUMENT);
    // A long text in no format the logger knows is only its size.
    expect(scrub(`Ana Souza ${'y'.repeat(MAX_LOGGED_ARGUMENT)}`)).toMatch(/^\[\d+ characters omitted\]$/);
  });

  // What the SDKs log at debug level, as they format it (@slack/web-api 8, @slack/bolt 5,
  // @slack/socket-mode 3): each keeps its method, ok, error codes, ids and sizes, and no text.
  it.each([
    [
      'a chat.update result Slack echoes back',
      'http request result: {"ok":true,"channel":"D0BEN","ts":"1764428400.000100","text":"2 of 13: Not yet","message":{"type":"message","text":"2 of 13: Not yet","blocks":[{"type":"context"}]},"response_metadata":{"warnings":["missing_charset"]}}',
      'http request result: {"ok":true,"channel":"D0BEN","ts":"1764428400.000100","text":"[16 characters]","message":{"type":"message","text":"[16 characters]","blocks":"[20 characters]"},"response_metadata":{"warnings":["missing_charset"]}}',
    ],
    [
      'a short request body',
      'http request body: {"token":"[[REDACTED]]","channel":"D0BEN","text":"Not yet","blocks":{"0":{"type":"section"}}}',
      'http request body: {"token":"[12 characters]","channel":"D0BEN","text":"[7 characters]","blocks":"[24 characters]"}',
    ],
    [
      'an error answer',
      'http request result: {"ok":false,"error":"invalid_blocks","response_metadata":{"messages":["[ERROR] text"]}}',
      'http request result: {"ok":false,"error":"invalid_blocks","response_metadata":{"messages":["[12 characters]"]}}',
    ],
    [
      'a plain-text ack',
      'ack() call begins (body: Your check-in is in our DM)',
      'ack() call begins (body: [26 characters])',
    ],
    ['an empty ack', 'ack() response stored (body: undefined)', 'ack() response stored (body: undefined)'],
    [
      'a Socket Mode envelope',
      'Received a message on the WebSocket: {"envelope_id":"e1","payload":{"event":{"type":"message","text":"Not yet","user":"U0BEN","channel":"D0BEN","ts":"1.2"}},"type":"events_api","retry_attempt":0}',
      'Received a message on the WebSocket: {"envelope_id":"e1","payload":{"event":{"type":"message","text":"[7 characters]","user":"U0BEN","channel":"D0BEN","ts":"1.2"}},"type":"events_api","retry_attempt":0}',
    ],
    [
      'a Socket Mode ack',
      'Calling ack() - type: slash_commands, envelope_id: 1-2, data: {"text":"Not yet"}',
      'Calling ack() - type: slash_commands, envelope_id: 1-2, data: {"text":"[7 characters]"}',
    ],
    [
      'a message the Socket Mode client could not parse',
      'Unable to parse an incoming WebSocket message (will ignore): SyntaxError: Unexpected end, {"text":"Not yet',
      'Unable to parse an incoming WebSocket message (will ignore): [45 characters]',
    ],
    [
      'a stored response',
      'Error details: Error: boom, storedResponse: {"text":"Not yet"}',
      'Error details: Error: boom, storedResponse: {"text":"[7 characters]"}',
    ],
    [
      'a body logged whole',
      '{"type":"view_submission","view":{"state":{"values":{}}},"user":{"id":"U1","name":"ben","team_id":"T1"}}',
      '{"type":"view_submission","view":{"state":"[13 characters]"},"user":{"id":"U1","name":"[3 characters]","team_id":"T1"}}',
    ],
    ['JSON inside a sentence', 'got {"a":"Not yet"} then', 'got {"a":"[7 characters]"} then'],
    ['the start of a cut payload', 'cut at {"text":"Not ye', 'cut at [15 characters]'],
  ])('summarizes %s', (_label, input, expected) => {
    expect(scrub(input)).toBe(expected);
  });

  it('keeps where and what of a zod error, and not the text around it', async () => {
    const { z } = await import('zod');
    const failed = z.object({ teamId: z.string() }).safeParse({ teamId: 42 });
    const logged = scrub(failed.error);
    expect(logged).toMatch(/^ZodError: /);
    expect(logged).toContain('"code":"invalid_type"');
    expect(logged).toContain('"expected":"string"');
    expect(logged).toContain('"path":["teamId"]');
  });

  it('scrubs a payload quoted in an error message', () => {
    expect(scrub(new Error('failed on {"text":"Not yet"}')).split('\n')[0]).toBe(
      'Error: failed on {"text":"[7 characters]"}',
    );
  });
});

describe('jsonLogger', () => {
  it('writes one JSON object per line, filtered by level', () => {
    const lines: string[] = [];
    const logger = jsonLogger({ level: LogLevel.INFO, write: (l) => lines.push(l), now: () => new Date(0) });
    logger.debug('hidden');
    logger.info('hello', 42);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'info',
      name: 'ripple',
      msg: 'hello 42',
    });
  });
});

describe('no personal data in the logs, at debug level', () => {
  it('a day of record commands logs no email, token, name or career data', async () => {
    const lines: string[] = [];
    const logger = jsonLogger({ level: LogLevel.DEBUG, write: (l) => lines.push(l) });
    const t = await startTestApp({
      admins: ['U0ADMIN001'],
      users: [
        { id: 'U0ADMIN001', name: 'ana', real_name: 'Ana Souza', email: 'ana.souza@example.com' },
        { id: 'U0BEN00001', name: 'ben', real_name: 'Ben Okafor', email: 'ben.okafor@example.com' },
      ],
      logger,
      offline: { logLevel: LogLevel.DEBUG },
    });
    try {
      const set = await t.driver.command('set <@U0BEN00001|ben> marketing 2 since 2026-01-15', { user: 'U0ADMIN001' });
      expect(visibleText(set.responses[0])).toContain('Recorded');
      await t.driver.command('me', { user: 'U0BEN00001' });
      await t.driver.command('export', { user: 'U0BEN00001' });
      await t.driver.event(
        { type: 'app_home_opened', user: 'U0BEN00001', channel: 'D0BEN', tab: 'home' },
        { eventId: 'Ev0HOMELOG1' },
      );
      await t.driver.command('set <@U0NOBODY01|x> marketing 2', { user: 'U0ADMIN001' });
    } finally {
      await t.stop();
    }
    expect(lines.length).toBeGreaterThan(10);
    const all = lines.join('');
    for (const secret of ['@example.com', 'xoxb-', 'Souza', 'Okafor', 'Strategist', '2026-01-15', 'v0=']) {
      expect(all).not.toContain(secret);
    }
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    // Every line a request causes carries its id (Slack's event_id for an event), so one request's
    // lines can be found together.
    const parsed = lines.map((l) => JSON.parse(l) as { req?: string; msg: string });
    expect(parsed.filter((l) => l.req === 'Ev0HOMELOG1').length).toBeGreaterThan(1);
    expect(parsed.filter((l) => l.req?.startsWith('r')).length).toBeGreaterThan(1);
  });
});

describe('a whole check-in at debug level', () => {
  it('logs no answer, evidence, expectation or question text, not even in the Web API client’s echoes', async () => {
    const BEN = 'U0BEN00001';
    const MAYA = 'U0MAYA0001';
    const lines: string[] = [];
    const logger = jsonLogger({ level: LogLevel.DEBUG, write: (l) => lines.push(l) });
    const t = await startTestApp({
      admins: ['U0ADMIN001'],
      users: [
        { id: 'U0ADMIN001', name: 'ana' },
        { id: MAYA, name: 'maya' },
        { id: BEN, name: 'ben' },
      ],
      logger,
      offline: { logLevel: LogLevel.DEBUG },
    });
    const typedEvidence = 'Quarterly webinar pipeline rebuilt singlehandedly';
    const formEvidence = 'Mentored three newcomers through onboarding campaigns';
    const ratings = ['consistently', 'not-yet', 'sometimes', 'skip'];
    let shareId: string | undefined;
    try {
      await t.driver.command(`set <@${BEN}|ben> marketing 2 since 2026-01-15 manager <@${MAYA}|maya>`, {
        user: 'U0ADMIN001',
      });
      let reply = await t.driver.command('checkin', { user: BEN });
      for (let i = 0; i < 13; i++) {
        const question = [...reply.calls]
          .reverse()
          .find(
            (c) => c.method === 'chat.postMessage' && buttonsOf(c.args).some((b) => b.actionId === 'checkin.rate.skip'),
          );
        expect(question, `question ${i + 1}`).toBeDefined();
        const value = buttonsOf(question?.args).find((b) => b.actionId === 'checkin.rate.skip')?.value as string;
        const channel = String(question?.response?.channel);
        const ts = String(question?.response?.ts);
        if (i === 1) {
          const typed = await t.driver.event({
            type: 'message',
            channel_type: 'im',
            channel,
            user: BEN,
            text: typedEvidence,
            ts: '1764428400.000100',
          });
          expect(typed.status).toBe(200);
        }
        if (i === 2) {
          const opened = await t.driver.action({
            user: BEN,
            actionId: 'checkin.evidence',
            value,
            channel,
            message: { ts },
          });
          const form = opened.calls.find((c) => c.method === 'views.open')?.args.view as { private_metadata: string };
          expect(form).toBeDefined();
          const saved = await t.driver.viewSubmission({
            user: BEN,
            callbackId: 'checkin.evidence',
            privateMetadata: form.private_metadata,
            values: { evidence: { text: { type: 'plain_text_input', value: formEvidence } } },
          });
          expect(saved.status).toBe(200);
        }
        reply = await t.driver.action({
          user: BEN,
          actionId: `checkin.rate.${ratings[i % ratings.length]}`,
          value,
          channel,
          message: { ts },
        });
        expect(reply.status).toBe(200);
      }
      const finished = reply.calls.filter((c) => c.method === 'chat.postMessage').at(-1)?.args;
      shareId = buttonsOf(finished).find((b) => b.actionId === 'checkin.share')?.value;
      expect(shareId).toBeDefined();
      await t.driver.action({ user: BEN, actionId: 'checkin.share', value: shareId, channel: `D${BEN}` });
      const review = await t.driver.action({
        user: MAYA,
        actionId: 'checkin.review',
        value: shareId,
        channel: `D${MAYA}`,
      });
      expect(review.calls.some((c) => c.method === 'views.open')).toBe(true);
      const values = Object.fromEntries(
        Array.from({ length: 13 }, (_, i) => [
          `q${i}`,
          { [`rating-${i}`]: { type: 'static_select', selected_option: { value: 'sometimes' } } },
        ]),
      );
      const rated = await t.driver.viewSubmission({
        user: MAYA,
        callbackId: 'checkin.ratings',
        privateMetadata: JSON.stringify({ c: Number(shareId) }),
        values,
      });
      expect(rated.calls.some((c) => c.method === 'chat.postMessage' && c.args.channel === `D${BEN}`)).toBe(true);
    } finally {
      await t.stop();
    }
    // What the check-in was about: every expectation asked (levels 2 and 3), as a person would read it.
    const framework = t.ctx.catalog.get('marketing');
    const expectations = (framework?.levels ?? [])
      .filter((l) => l.number === 2 || l.number === 3)
      .flatMap((l) => l.expectations.map((e) => e.text));
    expect(expectations).toHaveLength(13);
    const all = lines.join('');
    expect(all).toContain("apiCall('chat.update')");
    const personal = [
      ...['Not yet', 'Sometimes', 'Consistently', 'Skipped', 'Readiness'],
      'Quarterly webinar',
      'Mentored three',
      'What did you do that shows this',
      'Strategist',
      ...expectations.map((e) => e.slice(0, 24)),
    ];
    expect(personal.filter((p) => all.includes(p))).toEqual([]);
    // Nor any other words Ripple showed: message texts, blocks, views and replies, however short.
    const shown = [
      ...t.api.calls.flatMap((c) => [c.args.text, visibleText(c.args), visibleText(c.args.view)]),
      ...t.api.responses.map((r) => visibleText(r.body)),
    ]
      .flatMap((text) => (typeof text === 'string' ? text.split('\n') : []))
      .map((line) => line.trim())
      .filter((line) => line.length >= 16);
    expect(shown.length).toBeGreaterThan(50);
    expect(shown.filter((line) => all.includes(line) || all.includes(JSON.stringify(line).slice(1, -1)))).toEqual([]);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
