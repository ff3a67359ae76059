/**
 * Who writes a run: host, boot, process id and the process's start time. Recorded when a run
 * starts, so that a reader on the same host and boot can tell a run still being written from one
 * whose writer died (kill -9, out of memory, power loss): such a run is reported `incomplete`.
 * The start time (Linux /proc) tells a dead writer from a new process that reused its pid.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export interface WriterIdentity {
  host: string;
  /** The kernel's boot id ("" where the system does not say). */
  boot: string;
  pid: number;
  /** The process start time in clock ticks since boot ("" where the system does not say). */
  start: string;
}

export type WriterLiveness = "alive" | "dead" | "unknown";

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return fallback;
  }
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces and parentheses). */
function startTimeOf(pid: number | "self"): string | undefined {
  const stat = readOr(`/proc/${pid}/stat`, "");
  const close = stat.lastIndexOf(")");
  if (close < 0) return undefined;
  return stat.slice(close + 2).split(" ")[19];
}

let self: WriterIdentity | undefined;

export function currentWriter(): WriterIdentity {
  self ??= { host: hostname(), boot: readOr("/proc/sys/kernel/random/boot_id", ""), pid: process.pid, start: startTimeOf("self") ?? "" };
  return self;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // it exists, we may not signal it
  }
}

/** Whether a recorded writer still runs, as far as this process can tell. */
export function writerLiveness(writer: WriterIdentity | undefined, here: WriterIdentity = currentWriter()): WriterLiveness {
  if (writer === undefined) return "dead"; // written before writers were recorded: nobody can still be writing it
  if (writer.host !== here.host) return "unknown";
  if (writer.boot !== "" && here.boot !== "" && writer.boot !== here.boot) return "dead"; // the machine rebooted since
  if (writer.pid === here.pid) return writer.start === here.start ? "alive" : "dead";
  if (writer.start !== "" && here.start !== "") {
    const start = startTimeOf(writer.pid);
    return start === writer.start ? "alive" : "dead"; // gone, or a new process with the same pid
  }
  return pidAlive(writer.pid) ? "alive" : "dead";
}

export function formatWriter(w: WriterIdentity): string {
  return `pid ${w.pid} on ${w.host}`;
}
