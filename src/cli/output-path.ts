/**
 * Checks, before anything runs, that a file the command will write at the end (`--report`, a new
 * `--db`) can be written there: its folder exists and is writable, and the path is not something
 * other than a regular file. A run that cannot deliver its output is refused up front (exit 2).
 */
import { accessSync, constants, lstatSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { BadInput } from "./exit-codes.ts";

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw new BadInput(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Refuses a path that cannot be written as a regular file, naming the flag and the reason. A
 * symlink is followed (the file it points to is what gets written: write-report.ts reportTarget).
 */
export function checkWritableFile(flag: string, path: string): void {
  if (path === "") throw new BadInput(`${flag}: expected a file name, got ""`);
  const existing = statOrUndefined(path);
  if (existing !== undefined) {
    if (existing.isDirectory()) throw new BadInput(`${flag} ${path}: is a directory`);
    if (!existing.isFile()) throw new BadInput(`${flag} ${path}: is not a regular file`);
    if (!writable(path)) throw new BadInput(`${flag} ${path}: is not writable`);
    return;
  }
  if (isSymlink(path)) throw new BadInput(`${flag} ${path}: is a symlink to a missing file`);
  const folder = dirname(resolve(path));
  const parent = statOrUndefined(folder);
  if (parent === undefined) throw new BadInput(`${flag} ${path}: folder ${dirname(path)} does not exist`);
  if (!parent.isDirectory()) throw new BadInput(`${flag} ${path}: ${dirname(path)} is not a folder`);
  if (!writable(folder)) throw new BadInput(`${flag} ${path}: folder ${dirname(path)} is not writable`);
}

/** The same file under two names (after following symlinks), whether or not it exists yet. */
export function sameFile(a: string, b: string): boolean {
  const canonical = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      try {
        return resolve(realpathSync(dirname(resolve(p))), basename(p));
      } catch {
        return resolve(p);
      }
    }
  };
  return canonical(a) === canonical(b);
}
