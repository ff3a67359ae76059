/** podsMatching through the label index gives exactly what a full scan gives, sorted by name. */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { evolve } from "../../src/model/evolve.ts";
import { selectorMatches } from "../../src/model/labels.ts";
import { podsMatching } from "../../src/model/pod-selection.ts";
import { emptyState } from "../../src/model/state.ts";
import { makePod } from "../policies/builders.ts";

const value = fc.constantFrom("a", "b", "c");
const podArb = fc.record({ ns: fc.constantFrom("default", "shop"), app: fc.option(value, { nil: undefined }), tier: fc.option(value, { nil: undefined }) });

test.prop([fc.array(podArb, { maxLength: 25 }), fc.record({ app: fc.option(value, { nil: undefined }), tier: fc.option(value, { nil: undefined }) }), fc.constantFrom("default", "shop")])(
  "index and scan agree",
  (pods, wanted, namespace) => {
    const s = emptyState();
    for (const ns of ["default", "shop"]) evolve(s, { kind: "NamespaceCreated", namespace: { kind: "Namespace", metadata: { name: ns, namespace: "", uid: ns, labels: {}, creationMs: 0 } } }, 0);
    pods.forEach((p, i) => {
      const b = makePod().name(`p${String(i).padStart(2, "0")}`).namespace(p.ns);
      if (p.app !== undefined) b.label("app", p.app);
      if (p.tier !== undefined) b.label("tier", p.tier);
      const pod = b.obj();
      pod.metadata.uid = `u${i}`;
      evolve(s, { kind: "PodCreated", pod }, 0);
    });
    const matchLabels: Record<string, string> = {};
    if (wanted.app !== undefined) matchLabels.app = wanted.app;
    if (wanted.tier !== undefined) matchLabels.tier = wanted.tier;
    const selector = { matchLabels };
    const scan = [...s.pods.values()].filter((p) => p.metadata.namespace === namespace && selectorMatches(selector, p.metadata.labels)).map((p) => p.metadata.name).sort();
    expect(podsMatching(s, namespace, selector).map((p) => p.metadata.name)).toEqual(scan);
    expect(podsMatching({ ...s, podsByLabel: undefined }, namespace, selector).map((p) => p.metadata.name)).toEqual(scan);
  },
);
