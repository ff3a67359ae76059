/** `kubetwin vopr [--seeds N | --seed S | --seed-list A,B] [--json]`: swarm-tests the Raft control plane. */
import { randomInt } from "node:crypto";
import { parseArgs } from "node:util";
import { runVoprSeed, voprReplayCommand, type VoprOutcome, type VoprResult } from "../sim/raft/vopr.ts";
import { exitOk, UsageError, voprExitCodes } from "./exit-codes.ts";
import { parseIntArg } from "./int-arg.ts";
import { progressBar } from "./progress.ts";
import { parseSeed, parseSeeds } from "./seeds.ts";

/** vopr's failure classes all have an exit code (the table lives in exit-codes.ts). */
const codeOf: Record<Exclude<VoprOutcome, "ok">, number> = voprExitCodes;

export const voprHelp = `Usage: kubetwin vopr [--seeds N | --seed S | --seed-list A,B,…] [--json]

Swarm-tests the Raft control plane: each seed draws its own world (group size 1/3/5/7, PreVote
and CheckQuorum on or off, tiny snapshot thresholds, fault rates), runs a safety phase under
faults with client key-value operations and safety checkers on every step, then heals a majority
and requires convergence, and checks the client history for linearizability.

Options:
  --seeds N         run N fresh random seeds (printed, so any failure can be replayed)
  --seed S          run one seed (what a failure tells you to run)
  --seed-list LIST  run these seeds: 1..50 or 3,17,99
  --json            print one JSON object per seed
  -h, --help        this help

Exit codes (vopr's own classes; the first failing seed decides): 0 every seed passed, 2 bad input,
3 correctness failure (a safety property or linearizability), 4 liveness failure (no convergence
after healing), 5 crash (an exception inside the group).`;

function chooseSeeds(values: { seeds?: string | undefined; seed?: string | undefined; "seed-list"?: string | undefined }): number[] {
  const given = [values.seeds, values.seed, values["seed-list"]].filter((v) => v !== undefined).length;
  if (given > 1) throw new UsageError("vopr takes one of --seeds, --seed, --seed-list");
  if (values.seed !== undefined) return [parseSeed(values.seed)];
  if (values["seed-list"] !== undefined) return parseSeeds(values["seed-list"]);
  const count = values.seeds === undefined ? 10 : parseIntArg("--seeds", values.seeds, { min: 1, max: 100_000 });
  return Array.from({ length: count }, () => randomInt(0, 2 ** 47));
}

export function voprCommand(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: { seeds: { type: "string" }, seed: { type: "string" }, "seed-list": { type: "string" }, json: { type: "boolean", default: false } },
  });
  const seeds = chooseSeeds(values);
  if (!values.json) process.stdout.write(`vopr: ${seeds.length} seed(s): ${seeds.slice(0, 20).join(" ")}${seeds.length > 20 ? " …" : ""}\n`);
  const bar = progressBar("vopr", !values.json && process.stderr.isTTY === true);
  let firstFailure: VoprResult | undefined;
  let simulatedMs = 0;
  const started = performance.now();
  seeds.forEach((seed, i) => {
    const result = runVoprSeed(seed);
    simulatedMs += result.stats.simulatedMs;
    bar.update((i + 1) / seeds.length, `seed ${seed}`);
    if (values.json) process.stdout.write(JSON.stringify(result) + "\n");
    if (result.outcome !== "ok") {
      firstFailure ??= result;
      if (!values.json) process.stdout.write(`FAIL seed ${seed}: ${result.outcome}: ${result.details}\n  replay: npx ${voprReplayCommand(seed)}\n`);
    }
  });
  bar.stop();
  const wallS = (performance.now() - started) / 1000;
  if (!values.json) {
    process.stdout.write(`vopr: ${firstFailure ? "FAILED" : "all passed"} · ${(simulatedMs / 1000).toFixed(0)} s simulated in ${wallS.toFixed(1)} s wall\n`);
  }
  return firstFailure ? codeOf[firstFailure.outcome as Exclude<VoprOutcome, "ok">] : exitOk;
}
