import { resolve } from 'node:path';

/**
 * Start-up failures in words a person can act on, naming the setting and the path involved. The
 * raw messages ("unable to open database file", "EADDRINUSE") name neither.
 */

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Opening DATABASE_PATH failed. */
export function databaseOpenError(err: unknown, path: string): string {
  const where = `DATABASE_PATH=${path} (${resolve(path)})`;
  const code = codeOf(err);
  const message = (err as Error)?.message ?? String(err);
  if (code === 'SQLITE_NOTADB' || /file is not a database/i.test(message)) {
    return `${where} is not a SQLite database. Point DATABASE_PATH at Ripple's database file, or at a new path to start an empty one.`;
  }
  if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
    return `${where}: Ripple may not create the folder or file there (${code}). Choose a folder Ripple can write to, or change its permissions.`;
  }
  if (code === 'SQLITE_CANTOPEN' || /unable to open database file/i.test(message)) {
    return `${where}: the database file cannot be opened or created. Check that its folder exists and that Ripple may write to both the folder and the file.`;
  }
  if (code === 'SQLITE_READONLY' || /readonly database/i.test(message)) {
    return `${where} is read-only for Ripple. Give Ripple write permission on the file and its folder.`;
  }
  return `${where}: ${message}`;
}

/** Listening on PORT failed. */
export function listenError(err: unknown, port: number): string {
  const code = codeOf(err);
  if (code === 'EADDRINUSE') {
    return `PORT=${port}: another program is already listening on port ${port}. Stop it, or set PORT to a free port.`;
  }
  if (code === 'EACCES') {
    return `PORT=${port}: this user may not listen on port ${port} (ports below 1024 need privileges). Set PORT to 1024 or above.`;
  }
  return `PORT=${port}: cannot listen (${(err as Error)?.message ?? String(err)}).`;
}
