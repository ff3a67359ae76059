/**
 * Who holds a lock on a file, for "the event log is locked by …" messages: SQLite locks with
 * POSIX advisory locks, which Linux lists in /proc/locks by pid and inode. Elsewhere (or when
 * nobody is listed) the answer is empty and the message says "another process".
 */
import { readFileSync, statSync } from "node:fs";

export interface LockHolder {
  pid: number;
  /** The program's name (its command's file name), "" when unknown. */
  program: string;
}

function inodeOf(path: string): { dev: number; ino: number } | undefined {
  try {
    const s = statSync(path);
    return { dev: s.dev, ino: s.ino };
  } catch {
    return undefined;
  }
}

/** Linux's major:minor of a dev_t, as /proc/locks prints them (hex). */
function devText(dev: number): string {
  const major = Math.floor(dev / 256) & 0xfff;
  const minor = (dev & 0xff) | (Math.floor(dev / 4096) & ~0xff);
  return `${major.toString(16).padStart(2, "0")}:${minor.toString(16).padStart(2, "0")}`;
}

/** Processes other than this one holding a lock on any of the files (the database, its -wal and -shm). */
export function lockHolders(paths: string[]): LockHolder[] {
  let table: string;
  try {
    table = readFileSync("/proc/locks", "utf8");
  } catch {
    return [];
  }
  const wanted = new Set(paths.map(inodeOf).filter((i) => i !== undefined).map((i) => `${devText(i.dev)}:${i.ino}`));
  const pids = new Set<number>();
  for (const line of table.split("\n")) {
    // "1: POSIX  ADVISORY  WRITE 1234 00:2a:5678 0 EOF" (a blocked waiter's line starts with "->")
    const fields = line.trim().split(/\s+/);
    if (fields[1] === "->") continue;
    const pid = Number(fields[4]);
    if (fields[1] === "POSIX" && Number.isInteger(pid) && pid > 0 && pid !== process.pid && wanted.has(fields[5] ?? "")) pids.add(pid);
  }
  return [...pids].sort((a, b) => a - b).map((pid) => ({ pid, program: programOf(pid) }));
}

/**
 * The program's name: the file name of its command (/proc/<pid>/cmdline), else its main thread's
 * name (/proc/<pid>/comm, which Node sets to "MainThread"); "" when unknown.
 */
function programOf(pid: number): string {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\u0000")[0] ?? "";
    const name = argv0.slice(argv0.lastIndexOf("/") + 1);
    if (name !== "") return name;
  } catch {
    // gone, or not ours to read: try comm
  }
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

export function formatHolders(holders: LockHolder[]): string {
  if (holders.length === 0) return "another process";
  return holders.map((h) => `process ${h.pid}${h.program !== "" ? ` (${h.program})` : ""}`).join(", ");
}
