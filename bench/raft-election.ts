/**
 * Figure 16 of the extended Raft paper (thesis Figure 9.8a, §9.3): time to detect and replace a
 * crashed leader, LogCabin on 5 servers over gigabit Ethernet, election timeouts uniform in
 * [150, 150+x] ms, heartbeat = half the minimum timeout (75 ms).
 *
 * The setup follows the thesis text (leaderelection/real.tex):
 * - the leader's heartbeats to all followers are synchronized, then the leader is crashed at a
 *   uniformly random point of its heartbeat interval;
 * - the servers' logs have different lengths, so 2 of the 4 survivors cannot win (LAGS);
 * - downtime runs from the crash until the other servers received the new leader's first
 *   AppendEntries.
 * The twin runs in microseconds (src/sim/raft/microsecond-world.ts): a gigabit LAN hop is
 * ~0.1 ms, which a millisecond clock cannot hold. Timeouts are drawn as LogCabin drew them,
 * `lround(uniform(150, 150+x))` whole milliseconds from a continuous start time (so 150–151 gives
 * 150 or 151); `--continuous` draws them at µs resolution instead.
 * Run: node bench/raft-election.ts [trials] [--continuous] [--pairs]
 */
import { Prng } from "../src/model/prng.ts";
import { Engine } from "../src/sim/engine.ts";
import { inMicroseconds, MICROS_PER_MS } from "../src/sim/raft/microsecond-world.ts";
import { etcdGroupParams, RaftGroup, type RaftGroupParams } from "../src/sim/raft/raft-group.ts";
import { NullStateMachine } from "../src/sim/raft/state-machine.ts";
import { quantile } from "../src/sim/raft/store-observations.ts";
import type { Message, NodeId } from "../src/raft/types.ts";

/** Quantiles read off the dissertation's plot (ongardie/dissertation leaderelection/benchmarks-randomness.svg). */
interface PaperCdf {
  minMs: number;
  medianMs: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

const ranges: { maxMs: number; trials: number; paper: PaperCdf }[] = [
  { maxMs: 150, trials: 100, paper: { minMs: 9_865, medianMs: 41_104, p90Ms: 84_933, p99Ms: 527_964, maxMs: 527_964 } },
  { maxMs: 151, trials: 1000, paper: { minMs: 86, medianMs: 1_199, p90Ms: 3_132, p99Ms: 6_013, maxMs: 8_231 } },
  { maxMs: 155, trials: 1000, paper: { minMs: 85, medianMs: 287, p90Ms: 609, p99Ms: 1_242, maxMs: 2_143 } },
  { maxMs: 175, trials: 1000, paper: { minMs: 84, medianMs: 141, p90Ms: 291, p99Ms: 467, maxMs: 610 } },
  { maxMs: 200, trials: 1000, paper: { minMs: 87, medianMs: 146, p90Ms: 194, p99Ms: 352, maxMs: 513 } },
  { maxMs: 300, trials: 1000, paper: { minMs: 93, medianMs: 171, p90Ms: 244, p99Ms: 415, maxMs: 603 } },
];

const HEARTBEAT_MS = 75;
/** A trial gives up after this long without a new leader (the paper's 150–150 line ran 10–530 s). */
const TRIAL_CAP_MS = 600_000;
const STEPS_MAX = 500_000_000;

/**
 * The paper's cluster, in ms (converted to µs below). One-way hop 0.1 ms: gigabit Ethernet, TCP.
 * Disk write 3 ms: a LogCabin metadata update is two fsyncs (file, directory) on a 2012 SATA SSD;
 * the paper's shortest downtimes (84–87 ms = 75 ms + ~10 ms) bound the whole election path —
 * candidate write, hop, voter write, hop, the new leader's entry write, hop — to about 10 ms.
 * Timer wake-up delay up to 0.1 ms: Linux's 50 µs timer slack plus a thread wake-up and LogCabin's
 * mutex; with no randomness (150–150) it is the only thing that ever separates the timers.
 */
function paperGroupParams(maxMs: number, continuous: boolean): RaftGroupParams {
  return inMicroseconds({
    ...etcdGroupParams(5),
    tickMs: 25, // the host runs the election timer; ticks only pace heartbeats
    heartbeatTicks: HEARTBEAT_MS / 25,
    electionTicks: 150 / 25,
    preVote: false, // LogCabin had neither
    checkQuorum: false,
    snapshotEveryEntries: 0,
    link: { latencyMedianMs: 0.1, latencySigma: 0.3, latencyMsMin: 0.05, latencyMsMax: 1, lossRate: 0, duplicateRate: 0, reorderRate: 0, reorderDelayMsMax: 0 },
    disk: { fsyncMedianMs: 3, fsyncSigma: 0.2, fsyncMsMin: 1, fsyncMsMax: 10 },
    checkers: process.env.CHECKERS === "1",
    hostElectionTimeoutMs: { minMs: 150, maxMs, ...(continuous ? {} : { drawStepMs: 1 }), wakeDelayMsMax: 0.1 },
  });
}

const ms = (micros: number) => micros / MICROS_PER_MS;
const micros = (millis: number) => millis * MICROS_PER_MS;

/** Downtime (µs) of each trial, from the leader crash until the others heard the new leader; Infinity at the cap. */
function runRange(maxMs: number, trials: number, seed: number, continuous: boolean, layout: LogLayout): number[] {
  const engine = new Engine(1 << 12);
  const prng = Prng.fromSeed(seed);
  const group = new RaftGroup(engine, prng.fork("group"), paperGroupParams(maxMs, continuous), () => new NullStateMachine());
  const setup = prng.fork("setup");
  const watch = new ArrivalWatch(group);
  group.listener = { onDeliver: (to, m, nowUs) => watch.delivered(to, m, nowUs) };
  const run = (durationMs: number) => engine.runUntil({ atMsMax: engine.nowMs + micros(durationMs), stepsMax: STEPS_MAX });

  group.start();
  group.member(1).campaign(engine.nowMs); // the paper's cluster had a leader before the first crash
  run(1000);
  const samples: number[] = [];
  for (let trial = 0; trial < trials; ) {
    const leader = group.leaderId();
    if (leader === 0) {
      run(1000); // a previous trial hit the cap; wait for the group to settle
      continue;
    }
    if (!prepareCrash(group, engine, leader, setup, layout, run)) continue; // leadership moved: set up again
    const term = group.member(leader).term;
    const crashedAtUs = engine.nowMs;
    group.crash(leader);
    group.network.dropFilter = null;
    const outcome = watch.awaitNewLeaderHeard(engine, term, micros(TRIAL_CAP_MS), STEPS_MAX);
    samples.push(outcome === "stopped" ? engine.nowMs - crashedAtUs : Infinity);
    if (process.env.DEBUG) console.log(`trial ${trial}: ${ms(engine.nowMs - crashedAtUs)} ms, terms ${term} -> ${group.member(group.leaderId() || leader).term}`);
    group.restart(leader);
    run(300); // the restarted server catches up before the next trial
    trial++;
  }
  const violations = group.checkers?.violations ?? [];
  if (violations.length > 0) console.log(`safety violations: ${JSON.stringify(violations.slice(0, 3))}`);
  return samples;
}

/**
 * How far each of the 4 followers lags behind the leader's log, in entries. "pairs": the newest
 * entry reached only 2 followers; "staircase": every follower's log has a different length (the
 * thesis: "the servers in each trial had different log lengths, so two of the four servers were
 * not eligible"). Either way 2 of the 4 survivors cannot collect 3 votes.
 */
const LAGS: Record<LogLayout, number[]> = { pairs: [0, 0, 1, 1], staircase: [0, 1, 2, 3] };
type LogLayout = "pairs" | "staircase";

/**
 * Makes the logs differ (LAGS), waits for the leader's next heartbeat broadcast (all followers'
 * timers restart together), then runs to a uniformly random point of the heartbeat interval.
 * False when leadership moved meanwhile.
 */
function prepareCrash(group: RaftGroup, engine: Engine, leader: NodeId, prng: Prng, layout: LogLayout, run: (durationMs: number) => unknown): boolean {
  const followers = prng.shuffled(group.members.filter((m) => m.id !== leader && m.up).map((m) => m.id));
  const lags = LAGS[layout];
  const proposals = Math.max(...lags);
  const behind = new Set<NodeId>();
  let beatSentAtUs = -1;
  let armed = false;
  group.network.dropFilter = (from, to, m: Message) => {
    if (m.type === "MsgHeartbeat" && from === leader && beatSentAtUs < 0 && armed) {
      beatSentAtUs = engine.nowMs;
      engine.stop();
    }
    return behind.has(to) && m.type === "MsgApp" && m.entries.length > 0;
  };
  for (let j = 1; j <= proposals; j++) {
    followers.forEach((id, k) => {
      if ((lags[k] ?? 0) > proposals - j) behind.add(id);
    });
    group.member(leader).propose(`x${j}`, engine.nowMs);
    run(15); // replicated to the followers not behind, committed when a majority has it
  }
  armed = true;
  run(2 * HEARTBEAT_MS); // stops at the next heartbeat broadcast
  if (beatSentAtUs < 0 || group.leaderId() !== leader) {
    group.network.dropFilter = null;
    return false;
  }
  engine.runUntil({ atMsMax: beatSentAtUs + prng.int(0, micros(HEARTBEAT_MS)), stepsMax: STEPS_MAX });
  if (process.env.DEBUG) console.log(`logs before the crash: ${group.members.map((m) => `${m.id}${m.id === leader ? "*" : ""}:${m.image.lastIndex}`).join(" ")}`);
  return group.leaderId() === leader;
}

/** Stops the engine once, for some term above the crashed leader's, every other live member heard that term's leader. */
class ArrivalWatch {
  private readonly group: RaftGroup;
  private termAbove = Infinity;
  private engine: Engine | null = null;
  /** term → members that received an AppendEntries/heartbeat of that term. */
  private heard = new Map<number, Set<NodeId>>();

  constructor(group: RaftGroup) {
    this.group = group;
  }

  awaitNewLeaderHeard(engine: Engine, termAbove: number, capUs: number, stepsMax: number): string {
    this.termAbove = termAbove;
    this.engine = engine;
    this.heard = new Map();
    const outcome = engine.runUntil({ atMsMax: engine.nowMs + capUs, stepsMax });
    this.termAbove = Infinity;
    this.engine = null;
    return outcome;
  }

  delivered(to: NodeId, m: Message, _nowUs: number): void {
    if (this.engine === null || m.term <= this.termAbove || (m.type !== "MsgApp" && m.type !== "MsgHeartbeat")) return;
    let heard = this.heard.get(m.term);
    if (heard === undefined) this.heard.set(m.term, (heard = new Set()));
    heard.add(to);
    const everyone = this.group.members.every((member) => !member.up || member.id === m.from || heard.has(member.id));
    if (everyone) this.engine.stop();
  }
}

function fmt(micro: number): string {
  if (micro === Infinity) return `> ${TRIAL_CAP_MS / 1000} s`;
  const millis = ms(micro);
  return millis >= 10_000 ? `${(millis / 1000).toFixed(1)} s` : `${Math.round(millis)}`;
}

function paperFmt(millis: number): string {
  return millis >= 10_000 ? `${(millis / 1000).toFixed(1)} s` : `${millis}`;
}

export function main(): void {
  const trialsArg = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? NaN);
  const continuous = process.argv.includes("--continuous");
  const layout: LogLayout = process.argv.includes("--pairs") ? "pairs" : "staircase";
  console.log(
    `Raft paper Figure 16 (5 servers, LAN hop ~0.1 ms, disk write ~3 ms, heartbeat 75 ms, crash at a random point, logs ${layout === "pairs" ? "in pairs" : "of 4 lengths"} (2 of 4 survivors ineligible); ` +
      `timeouts ${continuous ? "continuous (µs)" : "whole ms as LogCabin's lround"})`,
  );
  console.log("downtime in ms: twin / paper (paper read off the dissertation's plot)");
  console.log("range    | trials | min       | median        | p90           | p99           | max");
  for (const range of ranges) {
    const trials = Number.isFinite(trialsArg) ? Math.min(trialsArg, range.trials) : range.trials;
    const wallStart = performance.now();
    const samples = runRange(range.maxMs, trials, 16, continuous, layout).sort((a, b) => a - b);
    const wallS = (performance.now() - wallStart) / 1000;
    const capped = samples.filter((s) => s === Infinity).length;
    const cell = (twin: number, paper: number) => `${fmt(twin)} / ${paperFmt(paper)}`.padEnd(13);
    const p = range.paper;
    console.log(
      `150–${range.maxMs}`.padEnd(8) +
        ` | ${String(trials).padStart(6)} | ${cell(samples[0] ?? 0, p.minMs).padEnd(9)} | ${cell(quantile(samples, 0.5), p.medianMs)} | ${cell(quantile(samples, 0.9), p.p90Ms)}` +
        ` | ${cell(quantile(samples, 0.99), p.p99Ms)} | ${cell(samples[samples.length - 1] ?? 0, p.maxMs)}` +
        (capped > 0 ? ` | ${capped} hit the ${TRIAL_CAP_MS / 1000} s cap` : "") +
        ` | ${wallS.toFixed(1)} s wall`,
    );
  }
}

if (import.meta.main) main();
