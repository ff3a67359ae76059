/**
 * What a `--db` path is, before SQLite opens it: a regular file that begins like an SQLite
 * database and is as long as its header says. Each refusal is one line naming the file (a folder,
 * a device, a text file, an image, a file cut short), so that SQLite's own messages ("file is not
 * a database", "disk image is malformed") never reach the user for a wrong path.
 */
import { closeSync, existsSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { LogOpenError } from "./log-errors.ts";

const sqliteMagic = "SQLite format 3\u0000";
const headerBytes = 100;

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new LogOpenError(`${path}: cannot be read (${code ?? (e as Error).message})`);
  }
}

function readHeader(path: string): Buffer {
  const buffer = Buffer.alloc(headerBytes);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new LogOpenError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const n = readSync(fd, buffer, 0, headerBytes, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** What SQLite's header says about the file's length, when it says it reliably. */
function headerLength(header: Buffer): number | undefined {
  if (header.length < headerBytes) return undefined;
  const rawPage = header.readUInt16BE(16);
  const pageBytes = rawPage === 1 ? 65536 : rawPage;
  const pages = header.readUInt32BE(28);
  // the page count is valid only when "version-valid-for" equals the change counter
  if (header.readUInt32BE(92) !== header.readUInt32BE(24) || pages === 0 || pageBytes < 512) return undefined;
  return pages * pageBytes;
}

/**
 * A file cut short: shorter than its header's page count (checked only without a -wal file: while
 * a writer checkpoints, the main file may briefly lag its header). Undefined when it is whole.
 */
export function truncationOf(path: string): string | undefined {
  if (existsSync(`${path}-wal`)) return undefined;
  const size = statOrUndefined(path)?.size ?? 0;
  const expected = headerLength(readHeader(path));
  return expected !== undefined && size < expected ? `${path}: the file is truncated (${size} of the ${expected} bytes its header promises)` : undefined;
}

/**
 * Refuses a path that cannot be an event log: missing (when reading), a folder, not a regular
 * file, or a non-empty file that is not an SQLite database or is cut short. An empty or missing
 * file is fine for a writer (it creates the log).
 */
export function checkLogFile(path: string, mode: "read" | "write"): void {
  if (path === "") throw new LogOpenError('expected a database file name, got ""');
  const stat = statOrUndefined(path);
  if (stat === undefined) {
    if (mode === "read") throw new LogOpenError(`${path}: no such database`);
    return;
  }
  if (stat.isDirectory()) throw new LogOpenError(`${path}: is a directory, not an event log`);
  if (!stat.isFile()) throw new LogOpenError(`${path}: is not a regular file, not an event log`);
  if (stat.size === 0) {
    if (mode === "read") throw new LogOpenError(`${path}: empty file, not a kubetwin event log`);
    return;
  }
  const header = readHeader(path);
  if (header.length < sqliteMagic.length || header.toString("latin1", 0, sqliteMagic.length) !== sqliteMagic) {
    throw new LogOpenError(`${path}: not an SQLite database, so not a kubetwin event log`);
  }
  const truncated = truncationOf(path);
  if (truncated !== undefined) throw new LogOpenError(truncated);
}
