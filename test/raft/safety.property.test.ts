import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { ClusterSim, describeAction, type Action } from "./cluster-sim.ts";

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 35, arbitrary: fc.nat(1000).map((pick) => ({ t: "deliver", pick }) as Action) },
  { weight: 5, arbitrary: fc.nat(1000).map((pick) => ({ t: "drop", pick }) as Action) },
  { weight: 2, arbitrary: fc.nat(1000).map((pick) => ({ t: "duplicate", pick }) as Action) },
  { weight: 7, arbitrary: fc.nat(4).map((node) => ({ t: "tick", node }) as Action) },
  { weight: 10, arbitrary: fc.constant({ t: "tickAll" } as Action) },
  { weight: 20, arbitrary: fc.nat(4).map((node) => ({ t: "ready", node }) as Action) },
  {
    weight: 2,
    arbitrary: fc
      .record({ node: fc.nat(4), persist: fc.constantFrom("none", "entries", "all") })
      .map(({ node, persist }) => ({ t: "crash", node, persist }) as Action),
  },
  { weight: 3, arbitrary: fc.nat(4).map((node) => ({ t: "restart", node }) as Action) },
  { weight: 2, arbitrary: fc.nat(31).map((mask) => ({ t: "partition", mask }) as Action) },
  { weight: 2, arbitrary: fc.constant({ t: "heal" } as Action) },
  { weight: 10, arbitrary: fc.record({ node: fc.nat(4), value: fc.nat(99) }).map(({ node, value }) => ({ t: "propose", node, value }) as Action) },
  { weight: 2, arbitrary: fc.nat(4).map((node) => ({ t: "compact", node }) as Action) },
);

const scenario = fc.record({
  size: fc.constantFrom(1, 3, 5),
  preVote: fc.boolean(),
  checkQuorum: fc.boolean(),
  seed: fc.nat(1_000_000),
  actions: fc.array(action, { minLength: 1, maxLength: 500, size: "max" }),
});

describe("raft safety under random faults (checked after every action)", () => {
  test.prop([scenario], { numRuns: Number(process.env["RAFT_PROPERTY_RUNS"] ?? 400) })(
    "election safety, append-only leaders, log matching, leader completeness, state machine safety, committed is durable",
    ({ size, preVote, checkQuorum, seed, actions }) => {
      const sim = new ClusterSim({ size, preVote, checkQuorum, seed });
      for (const a of actions) sim.apply(a);
      // Liveness after the storm: healed and restarted, the group elects a leader and converges.
      const done = sim.converge(400);
      if (done === null) throw new Error(`no convergence after healing; actions: ${actions.map(describeAction).join(" ")}`);
      expect(done.leader).toBeGreaterThan(0);
    },
  );
});
