/**
 * Swarm testing: each VOPR seed draws its own world — group size, Raft options, snapshot
 * thresholds, link and disk behaviour, fault rates — so that many seeds cover many corners
 * (TigerBeetle's VOPR, FoundationDB's simulation). Draws come from the seed's "world" fork only.
 */
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import type { RaftGroupParams } from "./raft-group.ts";

export interface FaultRates {
  /** Mean time between fault decisions. */
  faultIntervalMs: Ms;
  crash: number;
  restart: number;
  partition: number;
  heal: number;
  clog: number;
  slowDisk: number;
  drift: number;
  degradeLink: number;
}

export interface VoprWorld {
  group: RaftGroupParams;
  faults: FaultRates;
  clientCount: number;
  keyCount: number;
  /** Client ops with no answer after this are given up (outcome unknown). */
  clientTimeoutMs: Ms;
  clientThinkMsMax: Ms;
  safetyPhaseMs: Ms;
  /** After healing a majority, it must converge within this. */
  livenessBoundMs: Ms;
}

function weighted<T>(prng: Prng, choices: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of choices) total += w;
  let roll = prng.nextFloat() * total;
  for (const [value, w] of choices) {
    roll -= w;
    if (roll < 0) return value;
  }
  return (choices[choices.length - 1] as readonly [T, number])[0];
}

export function drawVoprWorld(prng: Prng): VoprWorld {
  const memberCount = weighted(prng, [[1, 1], [3, 4], [5, 3], [7, 2]] as const);
  const tickMs = 10;
  const electionTicks = prng.pick([5, 10, 20]);
  const latencyMedianMs = prng.pick([1, 2, 5]);
  const lossy = prng.chance(0.5);
  const group: RaftGroupParams = {
    memberCount,
    tickMs,
    electionTicks,
    heartbeatTicks: prng.pick([1, 2]),
    preVote: prng.chance(0.5),
    checkQuorum: prng.chance(0.5),
    maxInflightMsgs: prng.pick([1, 4, 256]),
    maxSizePerMsg: prng.pick([64, 1024 * 1024]),
    snapshotEveryEntries: prng.pick([0, 10, 50, 100]),
    snapshotCatchUpEntries: prng.pick([0, 5, 20]),
    link: {
      latencyMedianMs,
      latencySigma: prng.pick([0, 0.5, 1]),
      latencyMsMin: 0,
      latencyMsMax: latencyMedianMs * 20,
      lossRate: lossy ? prng.nextFloat() * 0.2 : 0,
      duplicateRate: prng.chance(0.3) ? prng.nextFloat() * 0.2 : 0,
      reorderRate: prng.chance(0.3) ? prng.nextFloat() * 0.3 : 0,
      reorderDelayMsMax: 20,
    },
    disk: { fsyncMedianMs: prng.pick([0, 1, 2, 5]), fsyncSigma: prng.pick([0, 0.5]), fsyncMsMin: 0, fsyncMsMax: 100 },
    checkers: true,
    hostElectionTimeoutMs: null,
  };
  const faults: FaultRates = {
    faultIntervalMs: prng.pick([100, 300, 1000]),
    crash: prng.nextFloat() * 0.3,
    restart: 0.3 + prng.nextFloat() * 0.4,
    partition: prng.nextFloat() * 0.3,
    heal: 0.2 + prng.nextFloat() * 0.4,
    clog: prng.nextFloat() * 0.2,
    slowDisk: prng.nextFloat() * 0.1,
    drift: prng.nextFloat() * 0.1,
    degradeLink: prng.nextFloat() * 0.1,
  };
  return {
    group,
    faults,
    clientCount: prng.pick([1, 2 * memberCount]),
    keyCount: prng.pick([1, 3, 10]),
    clientTimeoutMs: electionTicks * tickMs * 10,
    clientThinkMsMax: prng.pick([5, 20, 100]),
    safetyPhaseMs: prng.pick([5_000, 10_000, 20_000]),
    livenessBoundMs: 100 * electionTicks * tickMs,
  };
}

/** One line that says what the world is, for failure reports. */
export function describeVoprWorld(world: VoprWorld): string {
  const g = world.group;
  const l = g.link;
  return [
    `members=${g.memberCount}`,
    `tick=${g.tickMs}ms election=${g.electionTicks} heartbeat=${g.heartbeatTicks}`,
    `preVote=${g.preVote} checkQuorum=${g.checkQuorum}`,
    `inflight=${g.maxInflightMsgs} msgBytes=${g.maxSizePerMsg}`,
    `snapshotEvery=${g.snapshotEveryEntries} catchUp=${g.snapshotCatchUpEntries}`,
    `latency=${l.latencyMedianMs}ms σ=${l.latencySigma} loss=${l.lossRate.toFixed(3)} dup=${l.duplicateRate.toFixed(3)} reorder=${l.reorderRate.toFixed(3)}`,
    `fsync=${g.disk.fsyncMedianMs}ms`,
    `clients=${world.clientCount} keys=${world.keyCount} safety=${world.safetyPhaseMs}ms`,
  ].join(" ");
}
