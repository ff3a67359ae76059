/**
 * Where manifest files are and how they are read. A path written in a scenario is relative to the
 * scenario file and must stay inside the scenario's folder tree once symlinks are followed
 * (realpath): an absolute path, a `..` that climbs out, or a symlink that points out is refused
 * unless the user allows it (`--allow-outside-paths`). Only regular files are read, up to a size
 * limit, and only as UTF-8 text.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from "node:fs";
import type { Stats } from "node:fs";
import { basename, dirname, isAbsolute, join, posix, resolve, sep } from "node:path";
import { formatBytes } from "../model/units.ts";

/** A manifest path: what is read, what messages show, and how the scenario wrote it (for the source hash). */
export interface FilePlace {
  readPath: string;
  shownPath: string;
  written: string;
}

export type EntryKind = "file" | "directory" | "missing" | "other";

/** How manifest files are found and read; tests may substitute their own. */
export interface ManifestFiles {
  /** A path written in the scenario → where it is, or why it is refused. */
  resolve(written: string): FilePlace | { error: string };
  /** A path written inside a manifest directory or kustomization (a listed name, a `resources` entry). */
  within(dir: FilePlace, written: string): FilePlace | { error: string };
  kindOf(readPath: string): EntryKind;
  /** The names in a directory, sorted. */
  list(readPath: string): string[] | { error: string };
  read(readPath: string): { text: string } | { error: string };
}

export interface DiskOptions {
  /** The scenario file's directory: paths are read relative to it and must stay inside it. */
  baseDir: string;
  /** The same directory as messages show it. */
  shownDir: string;
  allowOutsidePaths: boolean;
  fileBytesMax: number;
}

/** Manifest files on disk, relative to the scenario's directory. */
export function diskManifestFiles(o: DiskOptions): ManifestFiles {
  let root: string | undefined;
  const rootReal = (): string => (root ??= realOrLexical(resolve(o.baseDir)));
  const placed = (readPath: string, shownPath: string, written: string): FilePlace | { error: string } => {
    if (!o.allowOutsidePaths) {
      const real = realOrLexical(readPath);
      const base = rootReal();
      if (real !== base && !real.startsWith(base.endsWith(sep) ? base : base + sep)) {
        return { error: `${shownPath} is outside the scenario's folder (after following symlinks); manifests must be in the scenario file's folder or below it (or pass --allow-outside-paths)` };
      }
    }
    return { readPath, shownPath, written };
  };
  const refuseAbsolute = (written: string): { error: string } | undefined =>
    isAbsolute(written) && !o.allowOutsidePaths
      ? { error: `absolute path ${written} refused: write it relative to the scenario file (or pass --allow-outside-paths)` }
      : undefined;
  return {
    resolve: (written) =>
      refuseAbsolute(written) ?? placed(resolve(o.baseDir, written), isAbsolute(written) ? written : join(o.shownDir, written), written),
    within: (dir, written) =>
      refuseAbsolute(written) ??
      placed(resolve(dir.readPath, written), isAbsolute(written) ? written : join(dir.shownPath, written), isAbsolute(written) ? written : posix.join(dir.written, written)),
    kindOf: (readPath) => kindOfStats(statOrUndefined(readPath)),
    list: (readPath) => {
      try {
        return readdirSync(readPath).sort();
      } catch (e) {
        return { error: errorText(e, readPath) };
      }
    },
    read: (readPath) => readRegularFile(readPath, o.fileBytesMax),
  };
}

/**
 * Reads a regular file as UTF-8 text, at most `bytesMax` bytes. A FIFO, a device or a directory is
 * refused before anything is read (opened non-blocking, so a FIFO swapped in meanwhile cannot
 * hang the read either); the size is checked before and while reading.
 */
export function readRegularFile(path: string, bytesMax: number): { text: string } | { error: string } {
  const read = readRegularBytes(path, bytesMax);
  return "error" in read ? read : textOf(read.bytes);
}

/** The bytes of a regular file of at most `bytesMax` bytes (a binary input: a SimKube trace), with the same refusals as readRegularFile. */
export function readRegularBytes(path: string, bytesMax: number): { bytes: Buffer } | { error: string } {
  const refused = notRegular(statOrError(path), path, bytesMax);
  if (refused !== undefined) return { error: refused };
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const again = notRegular(fstatSync(fd), path, bytesMax);
    if (again !== undefined) return { error: again };
    const bytes = readAtMost(fd, bytesMax + 1);
    if (bytes.length > bytesMax) return { error: tooLarge(bytes.length, bytesMax, true) };
    return { bytes };
  } catch (e) {
    return { error: errorText(e, path) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function notRegular(st: Stats | { error: string }, path: string, bytesMax: number): string | undefined {
  if ("error" in st) return st.error;
  if (st.isDirectory()) return `it is a directory (${path})`;
  if (!st.isFile()) return `not a regular file (${path} is ${describeSpecial(st)}); only regular files are read`;
  if (st.size > bytesMax) return tooLarge(st.size, bytesMax, false);
  return undefined;
}

function tooLarge(sizeBytes: number, bytesMax: number, atLeast: boolean): string {
  const size = atLeast ? `more than ${formatBytes(bytesMax)}` : `${sizeBytes} bytes`;
  return `too large (${size}): the limit is ${formatBytes(bytesMax)} (raise it with --limit file-bytes=…)`;
}

function readAtMost(fd: number, bytesMax: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < bytesMax) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, bytesMax - total));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
  }
  return Buffer.concat(chunks, total);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Text, or a refusal that never shows the content (the file may be anything). */
function textOf(bytes: Buffer): { text: string } | { error: string } {
  if (bytes.includes(0)) return { error: "not a text file (it holds NUL bytes)" };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { error: "not a text file (it is not valid UTF-8)" };
  }
}

function describeSpecial(st: Stats): string {
  if (st.isFIFO()) return "a FIFO";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function statOrError(path: string): Stats | { error: string } {
  try {
    return statSync(path);
  } catch (e) {
    return { error: errorText(e, path) };
  }
}

function kindOfStats(st: Stats | undefined): EntryKind {
  if (st === undefined) return "missing";
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "directory";
  return "other";
}

export function errorText(e: unknown, path: string): string {
  const code = (e as { code?: unknown }).code;
  if (code === "ENOENT") return `no such file (${path})`;
  if (code === "EISDIR") return `it is a directory (${path})`;
  if (code === "EACCES") return `permission denied (${path})`;
  if (code === "ELOOP") return `too many levels of symbolic links (${path})`;
  if (code === "ENOTDIR") return `a part of the path is not a directory (${path})`;
  return e instanceof Error ? e.message : String(e);
}

/** The real path; for a path that does not exist yet, its nearest existing ancestor's real path and the rest. */
function realOrLexical(path: string): string {
  const rest: string[] = [];
  let at = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(at), ...[...rest].reverse());
    } catch {
      const up = dirname(at);
      if (up === at) return resolve(path);
      rest.push(basename(at));
      at = up;
    }
  }
}
