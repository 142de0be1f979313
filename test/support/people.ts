import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';

/** The workspace most end-to-end tests use: an admin (Ana), a manager (Maya) and her report (Ben). */
export const ADMIN = 'U0ADMIN001';
export const MAYA = 'U0MAYA0001';
export const BEN = 'U0BEN00001';
export const USERS: FakeUser[] = [
  { id: ADMIN, name: 'ana' },
  { id: MAYA, name: 'maya' },
  { id: BEN, name: 'ben' },
];
