/**
 * The shadow's view of a binding follows resourceVersions, not arrival: each kind has its own
 * watch, so a node's change made after a binding can arrive before it. Fed by hand (no server):
 * a stand-in for LiveCluster with the two members the session reads.
 */
import { describe, expect, test } from "vitest";
import type { LiveChange, LiveCluster } from "../../src/live/live-cluster.ts";
import { shadowFramework } from "../../src/live/shadow-scheduler.ts";
import { ShadowSession } from "../../src/live/shadow-session.ts";
import type { KubeObject } from "../../src/k8s/kinds.ts";
import { makeNode, makePod } from "../policies/builders.ts";

function fakeCluster(nodes: KubeObject[], pods: KubeObject[]) {
  const handlers: ((c: LiveChange) => void)[] = [];
  const byKey = (objects: KubeObject[], namespaced: boolean) => new Map(objects.map((o) => [namespaced ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name, o]));
  const cluster = { objects: new Map([["Node", byKey(nodes, false)], ["Pod", byKey(pods, true)]]), on: (h: (c: LiveChange) => void) => handlers.push(h) } as unknown as LiveCluster;
  const emit = (c: Omit<LiveChange, "json" | "oldJson">, rv: number, nodeName?: string) => {
    const json = { metadata: { name: c.key, resourceVersion: String(rv) }, spec: { nodeName } } as LiveChange["json"];
    handlers.forEach((h) => h({ ...c, json, oldJson: { metadata: { name: c.key }, spec: {} } as LiveChange["json"] }));
  };
  return { cluster, emit };
}

describe("the shadow judges a binding in the view before its resourceVersion", () => {
  const node = makeNode().name("n1").cpuMilli(4000).obj();
  const cordoned = makeNode().name("n1").cpuMilli(4000).unschedulable().obj();
  const pending = makePod().name("p").cpuMilli(100).obj();
  const bound = makePod().name("p").cpuMilli(100).node("n1").obj();

  test("a cordon at resourceVersion 10 arriving before the bind at 5: judged in the view without it", () => {
    const { cluster, emit } = fakeCluster([node], [pending]);
    const session = new ShadowSession(cluster, shadowFramework(), () => {});
    emit({ type: "updated", kind: "Node", key: "n1", object: cordoned }, 10);
    emit({ type: "updated", kind: "Pod", key: "default/p", object: bound }, 5, "n1");
    expect(session.verdicts.map((v) => [v.sameNode, v.changesBefore])).toEqual([[true, 0]]);
    expect(session.view.state.nodes.get("n1")?.spec.unschedulable).toBe(true); // the later change is back in the view
  });

  test("the bind at 11, after the cordon: agreement only in the view before the cordon (the scheduler may have decided then)", () => {
    const { cluster, emit } = fakeCluster([node], [pending]);
    const session = new ShadowSession(cluster, shadowFramework(), () => {});
    emit({ type: "updated", kind: "Node", key: "n1", object: cordoned }, 10);
    emit({ type: "updated", kind: "Pod", key: "default/p", object: bound }, 11, "n1");
    expect(session.verdicts.map((v) => [v.sameNode, v.changesBefore])).toEqual([[true, 1]]);
    expect(session.agreement().inEarlierView).toBe(1);
    expect(session.view.state.nodes.get("n1")?.spec.unschedulable).toBe(true);
  });

  test("a pod created after the cordon and bound to the cordoned node: no view explains it, a disagreement", () => {
    const { cluster, emit } = fakeCluster([node], []);
    const session = new ShadowSession(cluster, shadowFramework(), () => {});
    emit({ type: "updated", kind: "Node", key: "n1", object: cordoned }, 10);
    emit({ type: "added", kind: "Pod", key: "default/p", object: pending }, 12);
    emit({ type: "updated", kind: "Pod", key: "default/p", object: bound }, 13, "n1");
    expect(session.verdicts.map((v) => [v.agreed, v.realFeasible, v.twin])).toEqual([[false, false, null]]);
  });
});
