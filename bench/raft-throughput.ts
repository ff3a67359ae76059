/**
 * Simulated commit throughput of a 3-member group (etcd defaults, LAN links, SSD fsync): a
 * client keeps the leader busy with proposals; we count entries committed and applied on every
 * member per wall-clock second (target ≥ 100,000). Run: node bench/raft-throughput.ts
 */
import { Prng } from "../src/model/prng.ts";
import { Engine, type Actor } from "../src/sim/engine.ts";
import { etcdGroupParams, RaftGroup } from "../src/sim/raft/raft-group.ts";
import { NullStateMachine } from "../src/sim/raft/state-machine.ts";

interface Result {
  committed: number;
  simulatedMs: number;
  wallMs: number;
  steps: number;
}

function run(checkers: boolean, proposalsPerMs: number, simulatedMs: number): Result {
  const engine = new Engine(1 << 16);
  const params = { ...etcdGroupParams(3), checkers };
  const group = new RaftGroup(engine, Prng.fromSeed(1), params, () => new NullStateMachine());
  let applied = 0;
  group.listener = { onApplied: () => void applied++ };
  group.start();
  engine.runUntil({ atMsMax: 3000, stepsMax: 1_000_000 }); // elect a leader first
  const appliedBefore = applied;
  let next = 0;
  const client: Actor = {
    onEvent: (_tag, _data, nowMs) => {
      const leader = group.leaderId();
      if (leader !== 0) for (let i = 0; i < proposalsPerMs; i++) group.member(leader).propose(`w${next++}`, nowMs);
      engine.after(1, client, 0);
    },
  };
  engine.after(1, client, 0);
  const startMs = engine.nowMs;
  const wallStart = performance.now();
  engine.runUntil({ atMsMax: startMs + simulatedMs, stepsMax: 100_000_000 });
  const wallMs = performance.now() - wallStart;
  return { committed: (applied - appliedBefore) / 3, simulatedMs, wallMs, steps: engine.steps };
}

export async function main(): Promise<void> {
  run(false, 20, 2000); // warm up the JIT
  for (const checkers of [false, true]) {
    const r = run(checkers, 20, 10_000);
    const perWallS = (r.committed / r.wallMs) * 1000;
    console.log(
      `raft throughput (3 members, checkers ${checkers ? "on" : "off"}): ${r.committed} entries committed+applied in ${r.simulatedMs / 1000} simulated s, ` +
        `${r.wallMs.toFixed(0)} ms wall → ${Math.round(perWallS).toLocaleString("en-US")} entries/wall s (target ≥ 100,000); ` +
        `simulated rate ${Math.round(r.committed / (r.simulatedMs / 1000)).toLocaleString("en-US")} entries/simulated s; ${r.steps} engine steps`,
    );
  }
}

if (import.meta.main) await main();
