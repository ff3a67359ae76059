/**
 * Simulation speed under faults: a 5-member etcd-like group (tick 100 ms, election 1 s) behind a
 * RaftStore, 20 writes/s of api-server load, and the VOPR nemesis (crashes, restarts, partitions,
 * clogs, slow disks, drift) deciding every ~5 s. Target: ≥ 1,000 simulated seconds per wall
 * second. Run: node bench/raft-swarm.ts
 */
import { Prng } from "../src/model/prng.ts";
import { Engine, type Actor } from "../src/sim/engine.ts";
import { etcdStoreParams, RaftStore } from "../src/sim/raft/raft-store.ts";
import { summarizeStore } from "../src/sim/raft/store-observations.ts";
import { FaultInjector } from "../src/sim/raft/vopr-faults.ts";

function run(seed: number, simulatedMs: number, checkers: boolean) {
  const engine = new Engine(1 << 14);
  const params = etcdStoreParams(5);
  params.group = { ...params.group, checkers };
  let committed = 0;
  let failed = 0;
  const store = new RaftStore(engine, Prng.fromSeed(seed), params, { onCommitted: () => void committed++, onWriteFailed: () => void failed++ });
  const nemesis = new FaultInjector(engine, Prng.fromSeed(seed).fork("nemesis"), store.group, {
    faultIntervalMs: 5000,
    crash: 0.2,
    restart: 0.6,
    partition: 0.15,
    heal: 0.5,
    clog: 0.1,
    slowDisk: 0.1,
    drift: 0.05,
    degradeLink: 0.05,
  });
  let writeId = 0;
  const load: Actor = {
    onEvent: () => {
      store.propose(writeId++, 2048);
      engine.after(50, load, 0);
    },
  };
  store.start();
  nemesis.start();
  engine.after(50, load, 0);
  const wallStart = performance.now();
  engine.runUntil({ atMsMax: simulatedMs, stepsMax: 500_000_000 });
  const wallMs = performance.now() - wallStart;
  return { wallMs, steps: engine.steps, committed, failed, faults: nemesis.log.length, summary: summarizeStore(store.observations, simulatedMs), violations: store.group.checkers?.violations.length ?? 0 };
}

export async function main(): Promise<void> {
  run(1, 60_000, true); // warm up
  const simulatedMs = 3_600_000;
  for (const checkers of [true, false]) {
    const r = run(7, simulatedMs, checkers);
    const speed = simulatedMs / r.wallMs;
    console.log(
      `raft swarm (5 members, faults, checkers ${checkers ? "on" : "off"}): ${simulatedMs / 1000} simulated s in ${r.wallMs.toFixed(0)} ms wall → ` +
        `${Math.round(speed).toLocaleString("en-US")} simulated s per wall s (target ≥ 1,000); ${r.steps} steps; ${r.faults} faults; ` +
        `writes ${r.committed} committed / ${r.failed} failed; p50 ${r.summary.latencyMsP50} ms p99 ${r.summary.latencyMsP99} ms; ` +
        `${r.summary.leaderChanges} leader changes; unavailable ${(r.summary.unavailableMsTotal / 1000).toFixed(1)} s; violations ${r.violations}`,
    );
  }
}

if (import.meta.main) await main();
