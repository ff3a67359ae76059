/**
 * VOPR for the Raft control plane (after TigerBeetle): one seed decides a whole run.
 * 1. Draw a world (vopr-world.ts).
 * 2. Safety phase: clients issue kv operations while the nemesis injects faults; the safety
 *    checkers watch every Ready and apply.
 * 3. Liveness phase: faults stop, a random majority "core" is restarted and fully connected (the
 *    others stay crashed or cut off); the core must converge — one leader, every core member has
 *    applied all the leader has — within the world's bound.
 * 4. The client history must be linearizable.
 * A run never reads a clock: the same seed gives the same result anywhere.
 */
import { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import { majority } from "../../raft/quorum.ts";
import { Engine } from "../engine.ts";
import { KvStateMachine } from "./kv-state-machine.ts";
import { checkKvHistory } from "./linearizability.ts";
import { RaftGroup } from "./raft-group.ts";
import type { RaftMember } from "./raft-member.ts";
import { KvClients } from "./vopr-clients.ts";
import { FaultInjector } from "./vopr-faults.ts";
import { describeVoprWorld, drawVoprWorld, type VoprWorld } from "./vopr-world.ts";

export type VoprOutcome = "ok" | "crash" | "liveness" | "correctness";

export interface VoprResult {
  seed: number;
  outcome: VoprOutcome;
  /** What went wrong (or a one-line summary when ok), always with the world description. */
  details: string;
  stats: VoprStats;
}

export interface VoprStats {
  memberCount: number;
  simulatedMs: Ms;
  steps: number;
  operations: number;
  answered: number;
  timedOut: number;
  faults: number;
  checks: number;
  linearizability: string;
}

export interface VoprOptions {
  /** Engine steps allowed for the whole run (a guard against runaway runs; counts as liveness). */
  stepsMax: number;
  /** Search steps for the linearizability checker; exhausted means "unknown" (not a failure). */
  linearizabilityStepsMax: number;
}

export const defaultVoprOptions: VoprOptions = { stepsMax: 20_000_000, linearizabilityStepsMax: 2_000_000 };

/** How a seed is replayed from the command line. */
export function voprReplayCommand(seed: number): string {
  return `kubetwin vopr --seed ${seed}`;
}

export function runVoprSeeds(seeds: readonly number[], options: VoprOptions = defaultVoprOptions): VoprResult[] {
  return seeds.map((seed) => runVoprSeed(seed, options));
}

const CHUNK_MS = 100;

export function runVoprSeed(seed: number, options: VoprOptions = defaultVoprOptions): VoprResult {
  const prng = Prng.fromSeed(seed).fork("vopr");
  const world = drawVoprWorld(prng.fork("world"));
  const engine = new Engine();
  const stats: VoprStats = {
    memberCount: world.group.memberCount,
    simulatedMs: 0,
    steps: 0,
    operations: 0,
    answered: 0,
    timedOut: 0,
    faults: 0,
    checks: 0,
    linearizability: "not checked",
  };
  const result = (outcome: VoprOutcome, what: string): VoprResult => ({
    seed,
    outcome,
    details: `${what} | world: ${describeVoprWorld(world)} | replay: ${voprReplayCommand(seed)}`,
    stats,
  });
  try {
    return runPhases(engine, prng, world, options, stats, result);
  } catch (error) {
    stats.simulatedMs = engine.nowMs;
    stats.steps = engine.steps;
    const e = error as Error;
    const where = (e.stack ?? "").split("\n").slice(1, 4).map((l) => l.trim()).join(" < ");
    return result("crash", `${e.name}: ${e.message} at t=${engine.nowMs}ms (${where})`);
  }
}

function runPhases(
  engine: Engine,
  prng: Prng,
  world: VoprWorld,
  options: VoprOptions,
  stats: VoprStats,
  result: (outcome: VoprOutcome, what: string) => VoprResult,
): VoprResult {
  const group = new RaftGroup(engine, prng.fork("group"), world.group, () => new KvStateMachine());
  const checkers = group.checkers;
  if (checkers !== null) checkers.throwOnViolation = false;
  const clients = new KvClients(engine, prng.fork("clients"), group, world);
  const nemesis = new FaultInjector(engine, prng.fork("faults"), group, world.faults);
  group.listener = { onApplied: (member, entry, res, nowMs) => clients.onApplied(member, entry, res, nowMs) };
  group.start();
  clients.start();
  nemesis.start();

  const collect = (): void => {
    stats.simulatedMs = engine.nowMs;
    stats.steps = engine.steps;
    stats.operations = clients.history.length;
    stats.answered = clients.answered;
    stats.timedOut = clients.timedOut;
    stats.faults = nemesis.log.length;
    stats.checks = checkers?.checks ?? 0;
  };
  const violation = (): string | null => {
    const v = checkers?.violations[0];
    return v === undefined ? null : `${v.rule} at t=${v.atMs}ms on member ${v.member}: ${v.detail}`;
  };
  const stepsEnd = options.stepsMax;
  /** Runs until `untilMs` or `done()`; false when a violation or the step budget stopped it. */
  const runTo = (untilMs: Ms, done: () => boolean): "done" | "time" | "violation" | "steps" => {
    while (engine.nowMs < untilMs) {
      engine.runUntil({ atMsMax: Math.min(untilMs, engine.nowMs + CHUNK_MS), stepsMax: Math.max(0, stepsEnd - engine.steps) });
      if (violation() !== null) return "violation";
      if (engine.steps >= stepsEnd) return "steps";
      if (done()) return "done";
    }
    return "time";
  };

  // Safety phase.
  let phase = runTo(world.safetyPhaseMs, () => false);
  if (phase === "violation") return (collect(), result("correctness", violation() as string));
  if (phase === "steps") return (collect(), result("liveness", `step budget ${stepsEnd} spent in the safety phase`));

  // Liveness phase.
  checkers?.fullCheck(engine.nowMs);
  nemesis.stop();
  clients.stop();
  const core = healCore(group, prng.fork("core"));
  const deadlineMs = engine.nowMs + world.livenessBoundMs;
  phase = runTo(deadlineMs, () => convergedCore(group, core));
  collect();
  if (phase === "violation") return result("correctness", violation() as string);
  if (phase !== "done") {
    return result("liveness", `core {${core.join(",")}} did not converge within ${world.livenessBoundMs} ms: ${describeMembers(group)}`);
  }
  // Let in-flight client operations finish (or time out) before judging the history.
  phase = runTo(engine.nowMs + world.clientTimeoutMs + 1, () => clients.pendingCount === 0);
  checkers?.fullCheck(engine.nowMs);
  collect();
  if (phase === "violation") return result("correctness", violation() as string);

  const lin = checkKvHistory(clients.history, { stepsMax: options.linearizabilityStepsMax });
  stats.linearizability = `${lin.outcome} (${lin.operationsChecked} ops, ${lin.keysChecked} keys, ${lin.steps} steps)`;
  if (lin.outcome === "notLinearizable") return result("correctness", `history not linearizable on key ${lin.key}`);
  return result("ok", `converged at t=${engine.nowMs}ms; ${clients.history.length} ops; linearizability ${lin.outcome}`);
}

/**
 * Restarts and reconnects a random majority over healthy links (no loss, duplication or
 * reordering, latency well inside the election timeout); the rest stay crashed or cut off.
 */
function healCore(group: RaftGroup, prng: Prng): number[] {
  const ids = prng.shuffled(group.members.map((m) => m.id));
  const core = ids.slice(0, majority(ids.length)).sort((a, b) => a - b);
  const others = ids.slice(core.length);
  const network = group.network;
  network.heal();
  network.partition([core]);
  const link = group.params.link;
  const electionMs = group.params.electionTicks * group.params.tickMs;
  const healthy = {
    lossRate: 0,
    duplicateRate: 0,
    reorderRate: 0,
    latencySigma: Math.min(link.latencySigma, 0.5),
    latencyMsMax: Math.max(link.latencyMsMin, Math.min(link.latencyMsMax, Math.floor(electionMs / 4))),
  };
  for (const from of core) for (const to of core) if (from !== to) network.degradeLink(from, to, healthy);
  for (const id of others) if (prng.chance(0.5)) group.crash(id);
  for (const id of core) {
    group.restart(id);
    group.driftClock(id, 1);
    group.slowDisk(id, 1, 0);
  }
  return core;
}

/** One leader in the core at the core's term, nothing uncommitted, everything applied. */
function convergedCore(group: RaftGroup, core: readonly number[]): boolean {
  let leader: RaftMember | null = null;
  for (const id of core) {
    const m = group.member(id);
    if (m.up && m.role === "leader" && (leader === null || m.term > leader.term)) leader = m;
  }
  if (leader === null || leader.storage === null) return false;
  const commit = leader.commit;
  if (leader.storage.lastIndex() !== commit) return false;
  for (const id of core) {
    const m = group.member(id);
    if (!m.up || m.term !== leader.term || m.appliedIndex !== commit) return false;
  }
  return true;
}

function describeMembers(group: RaftGroup): string {
  return group.members
    .map((m) => `${m.id}:${m.up ? m.role : "down"} term=${m.term} commit=${m.commit} applied=${m.appliedIndex} last=${m.storage?.lastIndex() ?? "-"}`)
    .join("; ");
}
