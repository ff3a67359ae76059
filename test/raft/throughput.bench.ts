/**
 * Throughput figure (not a test): a 3-member group in one process, ideal network and disks, the
 * host loop as the persistence contract says. Run: node test/raft/throughput.bench.ts
 */
import { Prng } from "../../src/model/prng.ts";
import { RaftNode } from "../../src/raft/raft-node.ts";
import { MemoryStorage } from "../../src/raft/storage.ts";
import type { Message } from "../../src/raft/types.ts";
import { defaultConfig } from "./env.ts";

function run(entriesTotal: number, batch: number): { committed: number; ms: number } {
  const ids = [1, 2, 3];
  const storages = ids.map(() => MemoryStorage.bootstrap({ voters: ids, learners: [], votersOutgoing: [] }));
  const root = Prng.fromSeed(1);
  const nodes = ids.map((id, i) => new RaftNode({ ...defaultConfig(id, ids), maxInflightMsgs: 256 }, storages[i]!, root.fork(`n${id}`)));
  let bus: Message[] = [];
  let applied = 0;
  const pump = () => {
    for (let round = 0; round < 100; round++) {
      let busy = false;
      for (let i = 0; i < nodes.length; i++) {
        const node = nodes[i]!;
        if (!node.hasReady()) continue;
        busy = true;
        const rd = node.ready();
        const st = storages[i]!;
        if (rd.snapshot !== null) st.applySnapshot(rd.snapshot);
        st.append(rd.entries);
        if (rd.hardState !== null) st.setHardState(rd.hardState);
        for (const m of rd.messages) bus.push(m);
        if (i === 0) applied += rd.committedEntries.length;
        node.advance();
      }
      if (bus.length > 0) {
        busy = true;
        const msgs = bus;
        bus = [];
        for (const m of msgs) nodes[m.to - 1]!.step(m);
      }
      if (!busy) return;
    }
  };
  nodes[0]!.campaign();
  pump();
  const datas = Array.from({ length: batch }, (_, i) => `put /registry/pods/p${i} v`);
  const start = performance.now();
  applied = 0;
  while (applied < entriesTotal) {
    nodes[0]!.proposeBatch(datas);
    pump();
  }
  // compact now and then so memory stays bounded
  return { committed: applied, ms: performance.now() - start };
}

for (const batch of [1, 16, 128]) {
  const { committed, ms } = run(batch === 1 ? 100_000 : 500_000, batch);
  console.log(`batch ${String(batch).padStart(3)}: ${committed} entries committed+applied in ${ms.toFixed(0)} ms = ${Math.round((committed / ms) * 1000)} entries/s`);
}
