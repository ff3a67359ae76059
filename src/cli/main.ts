/** The kubetwin command: dispatches to sub-commands and maps failures to exit codes. */
import { enableCompileCache } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exitBadInput, exitCodeOf, exitOk, formatCliError, toCliError } from "./exit-codes.ts";

type Entry = { help: string; run: (argv: string[]) => number | Promise<number> };
type Command = Entry & { summary: string };

/**
 * Each command's module is imported only when it runs (or shows its help), so a command pays only
 * for what it uses, and `compare` starts its worker threads before the heavy modules load.
 */
type LazyCommand = { summary: string; load: () => Promise<Entry> };

const commands: Record<string, LazyCommand> = {
  run: {
    summary: "run a scenario (one variant, one seed), log it, print a summary",
    load: async () => import("./run-command.ts").then((m) => ({ help: m.runHelp, run: m.runCommand })),
  },
  compare: {
    summary: "compare variants over many seeds, paired, with 95% intervals",
    load: async () => import("./compare-command.ts").then((m) => ({ help: m.compareHelp, run: m.compareCommand })),
  },
  replay: {
    summary: "rebuild the cluster state at any moment of a logged run",
    load: async () => import("./replay-command.ts").then((m) => ({ help: m.replayHelp, run: m.replayCommand })),
  },
  digest: {
    summary: "print the fingerprint of a logged run",
    load: async () => import("./digest-command.ts").then((m) => ({ help: m.digestHelp, run: m.digestCommand })),
  },
  explain: {
    summary: "explain a decision: schedule (plugin by plugin), hpa (one sync), pdb (budget status), eviction (Eviction API answer), scale-down (the cluster autoscaler, per node)",
    load: async () => import("./explain-command.ts").then((m) => ({ help: m.explainHelp, run: m.explainCommand })),
  },
  report: {
    summary: "write a self-contained HTML report of a logged run",
    load: async () => import("./report-command.ts").then((m) => ({ help: m.reportHelp, run: m.reportCommand })),
  },
  import: {
    summary: "import a recording (a SimKube trace, a KWOK recording) as a scenario, or run it into a log",
    load: async () => import("./import-command.ts").then((m) => ({ help: m.importHelp, run: m.importCommand })),
  },
  live: {
    summary: "attach to a Kubernetes cluster read-only: list, watch, print what changes",
    load: async () => import("./live-command.ts").then((m) => ({ help: m.liveHelp, run: m.liveCommand })),
  },
  shadow: {
    summary: "run the twin's scheduler in shadow beside a live cluster; record and print agreement",
    load: async () => import("./live-shadow-command.ts").then((m) => ({ help: m.shadowHelp, run: m.shadowCommand })),
  },
  calibrate: {
    summary: "fit pod start timings (podStartMedian/Sigma, readinessDelay, readyAfter per owner) from a recording or a run, as a scenario fragment",
    load: async () => import("./calibrate-command.ts").then((m) => ({ help: m.calibrateHelp, run: m.calibrateCommand })),
  },
  record: {
    summary: "record a live cluster's changes into the event log (exogenous and endogenous); run --from-log replays them",
    load: async () => import("./record-command.ts").then((m) => ({ help: m.recordHelp, run: m.recordCommand })),
  },
  serve: {
    summary: "serve a running simulation or a logged run through the Kubernetes API (kubectl works against it)",
    load: async () => import("./serve-command.ts").then((m) => ({ help: m.serveHelp, run: m.serveCommand })),
  },
  vopr: {
    summary: "swarm-test the Raft control plane, seed by seed",
    load: async () => import("./vopr-command.ts").then((m) => ({ help: m.voprHelp, run: m.voprCommand })),
  },
};

export function registerCommand(name: string, command: Command): void {
  commands[name] = { summary: command.summary, load: async () => command };
}

function usage(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(18)}${c.summary}`);
  return `kubetwin — a deterministic, event-sourced twin of a Kubernetes cluster

Usage: kubetwin <command> [options]   (kubetwin <command> --help for more)

Commands:
${rows.join("\n")}`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage() + "\n");
    return name === undefined ? exitBadInput : exitOk;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`kubetwin: unknown command "${name}"\n\n${usage()}\n`);
    return exitBadInput;
  }
  try {
    const entry = await command.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(entry.help + "\n");
      return exitOk;
    }
    return await entry.run(rest);
  } catch (e) {
    return failure(e);
  }
}

/** Every failure goes through the one error model (exit-codes.ts): its tag decides code and text. */
function failure(e: unknown): number {
  const error = toCliError(e);
  process.stderr.write(formatCliError(error, process.env.KUBETWIN_DEBUG === "1"));
  return exitCodeOf(error);
}

/**
 * Node's module compile cache (in the system temp folder; NODE_DISABLE_COMPILE_CACHE=1 turns it
 * off) keeps the stripped and compiled TypeScript between runs: a command, and each compare worker
 * thread (which inherits the directory through the environment), starts several times faster.
 * A quiet optimization: when it cannot be enabled, nothing changes.
 */
export function enableModuleCache(): void {
  // Node's default folder, set through the variable so that worker threads use the same one
  process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), "node-compile-cache");
  enableCompileCache();
}

/** Output closed early (`kubetwin vopr … | head`): the reader has what it wanted; end quietly, exit 0. */
export function endQuietlyWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") throw e;
      process.exit(exitOk);
    });
  }
}

/** What an entry point (bin/kubetwin.js, `node src/cli/main.ts`) sets up before running a command. */
export function startProcess(): void {
  enableModuleCache();
  endQuietlyWhenOutputCloses();
}

if (import.meta.main) {
  startProcess();
  process.exitCode = await main(process.argv.slice(2));
}
