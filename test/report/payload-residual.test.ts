import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/model/canonical.ts";
import { payloadResidual, stripTopLevelField } from "../../src/report/payload-residual.ts";

describe("payload residual", () => {
  it("drops what the kind and subject columns already show", () => {
    const record = (event: Record<string, unknown>, subject: string) => ({ kind: event.kind as "PodBound", subject, payload: canonicalJson(event) });
    expect(payloadResidual(record({ kind: "PodBound", key: "shop/web-1", nodeName: "n7" }, "pod/shop/web-1"))).toBe('{"nodeName":"n7"}');
    expect(payloadResidual(record({ kind: "PodRunning", key: "shop/web-1" }, "pod/shop/web-1"))).toBe("{}");
    expect(payloadResidual(record({ kind: "MachineDown", name: "n1", reason: "crash" }, "node/n1"))).toBe('{"reason":"crash"}');
    expect(payloadResidual(record({ kind: "Fault", fault: "ZoneOutage", target: "zone/a", label: "a down" }, "zone/a"))).toBe('{"fault":"ZoneOutage","label":"a down"}');
  });

  it("keeps a key that differs from the subject, and nested fields of the same name", () => {
    const payload = canonicalJson({ kind: "PodBound", key: "other/pod", nodeName: "n1", x: { kind: "PodBound" } });
    expect(JSON.parse(payloadResidual({ kind: "PodBound", subject: "pod/shop/web-1", payload }))).toEqual({ key: "other/pod", nodeName: "n1", x: { kind: "PodBound" } });
  });

  const jsonValue = fc.jsonValue({ maxDepth: 3 });
  test.prop([fc.dictionary(fc.constantFrom("a", "kind", "key", "name", "b", "z"), jsonValue), fc.constantFrom("kind", "key", "name"), jsonValue])(
    "removes exactly the top-level member and nothing else",
    (object, field, value) => {
      const json = canonicalJson(object);
      const valueJson = canonicalJson(value);
      const out = stripTopLevelField(json, field, valueJson);
      const expected = { ...(JSON.parse(json) as Record<string, unknown>) };
      if (field in expected && canonicalJson(expected[field]) === valueJson) delete expected[field];
      expect(JSON.parse(out)).toEqual(expected);
    },
  );

  const eventArb = fc.record({
    kind: fc.constantFrom("PodBound", "PodRunning", "MachineDown", "Fault", "PodCreated"),
    key: fc.constantFrom("ns/a", "ns/b", 'ns/"q"'),
    extra: fc.dictionary(fc.constantFrom("nodeName", "reason", "ready", "name", "key", "target", "a"),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom("ns/a", "ns/b", 'ns/"q"', "pod/ns/a", "node/ns/b", "zone/ns/a")),
    ),
    subjectPrefix: fc.constantFrom("pod/", "node/", "zone/"),
  });
  test.prop([eventArb], { numRuns: 1000 })("keeps every member except those the kind and subject columns show", ({ kind, key, extra, subjectPrefix }) => {
    const subject = subjectPrefix + key;
    const event: Record<string, unknown> = { ...extra, kind };
    const payload = canonicalJson(event);
    const residual = JSON.parse(payloadResidual({ kind: kind as "PodBound", subject, payload })) as Record<string, unknown>;
    const expected = { ...(JSON.parse(payload) as Record<string, unknown>) };
    delete expected.kind;
    if (expected.key === key) delete expected.key;
    if (expected.name === key) delete expected.name;
    if (expected.target === subject) delete expected.target;
    expect(residual).toEqual(expected);
  });
});
