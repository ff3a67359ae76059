/**
 * Decisions are executed idempotently by id: the same decision twice is one action. A property
 * over random decision sequences, and the answers a duplicate gets.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Decision } from "../../src/model/decision.ts";
import { canonicalState } from "../../src/model/state.ts";
import { ApiServer, type WriteOutcome } from "../../src/sim/api/api-server.ts";
import { Engine } from "../../src/sim/engine.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { makeNode, makePod } from "../policies/builders.ts";

function world() {
  const engine = new Engine(256);
  const sink = new MemorySink();
  const api = new ApiServer(engine, sink, { watchLatencyMs: 1, commitLatencyMs: 1 });
  api.recordWorldEvent({ kind: "NamespaceCreated", namespace: { kind: "Namespace", metadata: { name: "default", namespace: "", uid: "ns", labels: {}, creationMs: 0 } } });
  for (const n of ["n1", "n2"]) api.recordWorldEvent({ kind: "NodeAdded", node: makeNode().name(n).cpuMilli(4000).obj() });
  return { engine, api, sink };
}

/** A decision drawn from a small world: pods p0..p3 on nodes n1, n2. */
const decision: fc.Arbitrary<Decision> = fc.oneof(
  fc.record({ pod: fc.integer({ min: 0, max: 3 }) }).map(({ pod }) => ({ kind: "CreatePod", id: `create/default/p${pod}`, pod: makePod().name(`p${pod}`).obj() }) as Decision),
  fc.record({ pod: fc.integer({ min: 0, max: 3 }), node: fc.constantFrom("n1", "n2") }).map(({ pod, node }) => ({ kind: "BindPod", id: `bind/p${pod}/${node}`, podKey: `default/p${pod}`, nodeName: node }) as Decision),
  fc.record({ pod: fc.integer({ min: 0, max: 3 }) }).map(({ pod }) => ({ kind: "DeletePod", id: `delete/p${pod}`, podKey: `default/p${pod}`, reason: "test" }) as Decision),
  fc.record({ node: fc.constantFrom("n1", "n2"), taint: fc.boolean() }).map(
    ({ node, taint }) => ({ kind: "PatchNode", id: `patch/${node}/${taint}`, name: node, taints: taint ? [{ key: "k", effect: "NoSchedule" }] : [] }) as Decision,
  ),
  fc.record({ pod: fc.integer({ min: 0, max: 3 }), m: fc.integer({ min: 0, max: 2 }) }).map(
    ({ pod, m }) => ({ kind: "MarkUnschedulable", id: `unsched/p${pod}/${m}`, podKey: `default/p${pod}`, message: `m${m}` }) as Decision,
  ),
  fc.constantFrom("n1", "n2", "n3").map((node) => ({ kind: "DeleteNode", id: `delete-node/${node}`, nodeName: node }) as Decision),
  fc.constantFrom("n3", "n4").map((node) => ({ kind: "ProvisionNode", id: `provision/g/${node}`, nodeGroup: "g", nodeName: node }) as Decision),
);

/** Runs the decisions one per millisecond; `twice` executes each again, at once or 3 ms later. */
function execute(decisions: readonly Decision[], twice: readonly (false | "now" | "later")[]) {
  const w = world();
  decisions.forEach((d, i) => {
    w.engine.runUntil({ atMsMax: i * 10, stepsMax: 1000 });
    w.api.execute(d);
    if (twice[i] === "now") w.api.execute(d);
    if (twice[i] === "later") {
      w.engine.runUntil({ atMsMax: i * 10 + 3, stepsMax: 1000 });
      w.api.execute(d);
    }
  });
  w.engine.runUntil({ atMsMax: decisions.length * 10 + 100, stepsMax: 10_000 });
  return w;
}

describe("decisions by id", () => {
  test("a random sequence executed twice leaves the same state and log as once", () => {
    fc.assert(
      fc.property(fc.array(decision, { maxLength: 30 }).chain((ds) => fc.tuple(fc.constant(ds), fc.array(fc.constantFrom<false | "now" | "later">(false, "now", "later"), { minLength: ds.length, maxLength: ds.length }))), ([ds, twice]) => {
        const once = execute(ds, ds.map(() => false));
        const again = execute(ds, twice);
        expect(canonicalState(again.api.state)).toBe(canonicalState(once.api.state));
        expect(again.sink.records.map((r) => r.payload)).toEqual(once.sink.records.map((r) => r.payload));
      }),
      { numRuns: 200 },
    );
  });

  test("a duplicate is answered with the first outcome and writes nothing; a failed id may run again", () => {
    const w = world();
    const answers: WriteOutcome[] = [];
    const reply = { actor: { onEvent: (_t: number, o: unknown) => void answers.push(o as WriteOutcome) }, tag: 0 };
    const create: Decision = { kind: "CreatePod", id: "create/default/a", pod: makePod().name("a").obj() };
    w.api.execute(create, reply);
    w.api.execute(create, reply); // joins the write in flight
    w.engine.runUntil({ atMsMax: 5, stepsMax: 100 });
    w.api.execute(create, reply); // already applied
    w.engine.runUntil({ atMsMax: 10, stepsMax: 100 });
    expect(answers.map((a) => a.ok)).toEqual([true, true, true]);
    expect(w.api.duplicates).toBe(2);
    expect(w.sink.records.filter((r) => r.kind === "PodCreated")).toHaveLength(1);
    const bind: Decision = { kind: "BindPod", id: "bind/a/ghost", podKey: "default/a", nodeName: "ghost" };
    w.api.execute(bind, reply);
    w.engine.runUntil({ atMsMax: 15, stepsMax: 100 });
    w.api.execute(bind, reply);
    w.engine.runUntil({ atMsMax: 20, stepsMax: 100 });
    expect(answers.slice(3).map((a) => [a.ok, a.reason])).toEqual([[false, "node not found"], [false, "node not found"]]);
    expect(w.api.conflicts).toBe(2);
  });

  test("DeleteNode removes the pods still bound to the node in the same write (pod GC), then the node; an unregistered node is released", () => {
    const w = world();
    w.api.execute({ kind: "CreatePod", id: "create/default/a", pod: makePod().name("a").obj() });
    w.engine.runUntil({ atMsMax: 5, stepsMax: 100 });
    w.api.execute({ kind: "BindPod", id: "bind/a/n1", podKey: "default/a", nodeName: "n1" });
    w.engine.runUntil({ atMsMax: 10, stepsMax: 100 });
    const before = w.sink.records.length;
    w.api.execute({ kind: "DeleteNode", id: "delete-node/n1", nodeName: "n1" });
    w.api.execute({ kind: "DeleteNode", id: "release/n9", nodeName: "n9" });
    w.engine.runUntil({ atMsMax: 20, stepsMax: 100 });
    expect(w.sink.records.slice(before).map((r) => `${r.kind} ${r.subject}`)).toEqual(["PodRemoved pod/default/a", "NodeRemoved node/n1", "NodeProvisioningCancelled node/n9"]);
    expect(w.api.state.nodes.has("n1")).toBe(false);
    expect(w.api.state.pods.has("default/a")).toBe(false);
  });
});
