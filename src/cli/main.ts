/** The kubetwin command: dispatches to sub-commands and maps failures to exit codes. */
import { formatDurationMs } from "../model/units.ts";
import { compareCommand, compareHelp } from "./compare-command.ts";
import { digestCommand, digestHelp } from "./digest-command.ts";
import { explainCommand, explainHelp } from "./explain-command.ts";
import { exitBadInput, exitInvariantBroken, UsageError } from "./exit-codes.ts";
import { RunInvariantError } from "./execute-run.ts";
import { liveCommand, liveHelp } from "./live-command.ts";
import { shadowCommand, shadowHelp } from "./live-shadow-command.ts";
import { replayCommand, replayHelp } from "./replay-command.ts";
import { reportCommand, reportHelp } from "./report-command.ts";
import { runCommand, runHelp } from "./run-command.ts";
import { serveCommand, serveHelp } from "./serve-command.ts";
import { voprCommand, voprHelp } from "./vopr-command.ts";

type Command = { help: string; summary: string; run: (argv: string[]) => number | Promise<number> };

const commands: Record<string, Command> = {
  run: { help: runHelp, summary: "run a scenario (one variant, one seed), log it, print a summary", run: runCommand },
  compare: { help: compareHelp, summary: "compare variants over many seeds, paired, with 95% intervals", run: compareCommand },
  replay: { help: replayHelp, summary: "rebuild the cluster state at any moment of a logged run", run: replayCommand },
  digest: { help: digestHelp, summary: "print the fingerprint of a logged run", run: digestCommand },
  explain: { help: explainHelp, summary: "explain one scheduling decision plugin by plugin (explain schedule --input FILE)", run: explainCommand },
  report: { help: reportHelp, summary: "write a self-contained HTML report of a logged run", run: reportCommand },
  live: { help: liveHelp, summary: "attach to a Kubernetes cluster read-only: list, watch, print what changes", run: liveCommand },
  shadow: { help: shadowHelp, summary: "run the twin's scheduler in shadow beside a live cluster; record and print agreement", run: shadowCommand },
  serve: { help: serveHelp, summary: "serve a logged run through the Kubernetes API (kubectl works against it)", run: serveCommand },
  vopr: { help: voprHelp, summary: "swarm-test the Raft control plane, seed by seed", run: voprCommand },
};

export function registerCommand(name: string, command: Command): void {
  commands[name] = command;
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
    return name === undefined ? exitBadInput : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`kubetwin: unknown command "${name}"\n\n${usage()}\n`);
    return exitBadInput;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.help + "\n");
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    return failure(e);
  }
}

function failure(e: unknown): number {
  if (e instanceof UsageError) {
    process.stderr.write(`kubetwin: ${e.message}\n`);
    return exitBadInput;
  }
  if (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS")) {
    process.stderr.write(`kubetwin: ${e.message}\n`);
    return exitBadInput;
  }
  if (e instanceof RunInvariantError) {
    process.stderr.write(`kubetwin: INVARIANT BROKEN: ${e.message}\n`);
    process.stderr.write(`  seed ${e.seed}, variant ${e.variant}, virtual time ${formatDurationMs(e.atMs)}\n  last records:\n`);
    for (const r of e.lastRecords) process.stderr.write(`    #${r.seq} ${formatDurationMs(r.atMs)} ${r.kind} ${r.subject}\n`);
    process.stderr.write(`  reproduce with: ${e.command}\n`);
    return exitInvariantBroken;
  }
  throw e;
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
