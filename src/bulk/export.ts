import type { Catalog } from '../frameworks/catalog.js';
import type { TeammateRecord } from '../store/types.js';
import { formatCsv } from './csv.js';
import { COLUMNS, OPTIONAL_COLUMNS } from './import.js';

/** The fields the CSV carries; status, time zone and history stay in the database. */
export type ExportedRecord = Pick<TeammateRecord, 'userId' | 'frameworkId' | 'levelId' | 'since' | 'managerId'> & {
  /** The person's own title, when one was recorded. */
  title?: string | null;
};

/**
 * Writes teammate records in exactly the format `planImport` reads: the header, then one row per
 * person sorted by user id, with the level as its number so the file is readable and editable in a
 * spreadsheet. Export → import gives back the same records.
 *
 * A record whose framework or level is no longer in the catalog (a framework file was edited) keeps
 * its stored ids: importing that file then reports the row, instead of the export guessing.
 */
export function exportCsv(records: readonly ExportedRecord[], catalog: Catalog): string {
  // NOTE: code-unit order, not localeCompare, so the order matches SQLite's and does not depend on the machine's locale.
  const sorted = [...records].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const rows = sorted.map((r) => {
    const framework = catalog.get(r.frameworkId);
    const level = framework ? catalog.levelById(framework, r.levelId) : undefined;
    return [
      r.userId,
      r.frameworkId,
      level ? String(level.number) : r.levelId,
      r.since,
      r.managerId ?? '',
      r.title ?? '',
    ];
  });
  return formatCsv([[...COLUMNS, ...OPTIONAL_COLUMNS], ...rows]);
}
