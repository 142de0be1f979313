import type { Server } from 'node:http';
import { App, type Logger, type LogLevel } from '@slack/bolt';
import { DEFAULT_PORT } from '../config.js';
import type { AppContext } from '../context.js';
import { Activity, trackListeners } from './activity.js';
import { registerListeners } from './listeners/index.js';
import { createHttpReceiver } from './receiver.js';
import { createSlackServices, type SlackServices } from './services.js';

export type Transport =
  | { mode: 'http'; botToken: string; signingSecret: string; apiUrl?: string }
  | { mode: 'socket'; botToken: string; appToken: string; apiUrl?: string };

export interface SlackAppOptions {
  transport: Transport;
  logLevel?: LogLevel;
  logger?: Logger;
  /**
   * How often the Web API client retries a failed call. Slack's default (10 times over about 30
   * minutes) suits production; the offline harness uses fewer so a failure shows at once.
   */
  retries?: number;
}

export interface SlackApp {
  app: App;
  activity: Activity;
  /** What the listeners use: also for background jobs, which speak through the same notifier. */
  services: SlackServices;
  /** HTTP mode: listen on `port` (0 for a random one) and `host`; returns the server. */
  start(listen?: { port: number; host?: string }): Promise<Server | undefined>;
  /** Stops taking requests, then waits for work already started to finish. */
  stop(): Promise<void>;
}

/**
 * Builds the Bolt app for a transport. Receivers handle transport; everything the product does is
 * in the listeners registered here, the same in HTTP mode, Socket Mode and the offline sandbox.
 */
export function createSlackApp(ctx: AppContext, options: SlackAppOptions): SlackApp {
  const { transport } = options;
  const activity = new Activity();
  const common = {
    token: transport.botToken,
    logLevel: options.logLevel,
    logger: options.logger,
    clientOptions: {
      ...(transport.apiUrl ? { slackApiUrl: transport.apiUrl } : {}),
      ...(options.retries !== undefined ? { retryConfig: { retries: options.retries } } : {}),
    },
  };
  const app =
    transport.mode === 'http'
      ? new App({
          ...common,
          receiver: createHttpReceiver({
            signingSecret: transport.signingSecret,
            logger: options.logger,
            logLevel: options.logLevel,
            customRoutes: [
              {
                path: '/healthz',
                method: ['GET'],
                handler: (_req, res) => {
                  res.writeHead(200, { 'content-type': 'application/json' });
                  res.end(JSON.stringify({ ok: true }));
                },
              },
            ],
          }),
        })
      : new App({ ...common, socketMode: true, appToken: transport.appToken });

  trackListeners(app, activity);
  const services = createSlackServices(ctx, app.client, activity, app.logger);
  registerListeners(app, services);
  app.error(async (error) => {
    // Listeners reply to the user themselves; this is the last line for anything they missed.
    app.logger.error('Unhandled error in a listener', error);
  });

  let server: Server | undefined;
  return {
    app,
    activity,
    services,
    async start(listen) {
      if (transport.mode === 'http') {
        server = (await app.start({ port: listen?.port ?? DEFAULT_PORT, host: listen?.host })) as Server;
        return server;
      }
      await app.start();
      return undefined;
    },
    async stop() {
      await app.stop();
      await activity.idle();
    },
  };
}
