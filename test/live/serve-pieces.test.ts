/** The served twin's pure pieces: selectors as the API server parses them, ages as kubectl prints them, the watch window. */
import { describe, expect, test } from "vitest";
import { fieldSelectorOf, labelSelectorOf } from "../../src/cli/serve-selectors.ts";
import { humanDuration } from "../../src/cli/serve-table.ts";
import type { KubeJson } from "../../src/cli/serve-resources.ts";

const pod = (labels: Record<string, string>, nodeName?: string, phase = "Running"): KubeJson => ({
  apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default", labels }, spec: nodeName === undefined ? {} : { nodeName }, status: { phase },
});

function matches(selector: string, o: KubeJson): boolean {
  const s = labelSelectorOf(selector);
  if (!s.ok) throw new Error(s.message);
  return s.matches(o);
}

describe("label selectors (apimachinery labels.Parse)", () => {
  const o = pod({ app: "web", tier: "front" });
  test.each([
    ["app=web", true], ["app==web", true], ["app!=web", false], ["app!=db", true], ["missing!=x", true],
    ["app in (db, web)", true], ["app notin (web)", false], ["app", true], ["!app", false], ["!missing", true],
    ["app=web,tier=back", false], ["app=web,tier in (front,back)", true], ["", true],
  ])("%s → %s", (selector, expected) => expect(matches(selector, o)).toBe(expected));

  test("a requirement that does not parse is refused with the term", () => {
    expect(labelSelectorOf("app=(web")).toEqual({ ok: false, message: 'unable to parse requirement: "app=(web"' });
  });
});

describe("field selectors (per-kind selectable fields)", () => {
  test("spec.nodeName and status.phase on pods, unbound pods have an empty nodeName", () => {
    const s = fieldSelectorOf("spec.nodeName=n1,status.phase!=Failed", "Pod");
    if (!s.ok) throw new Error(s.message);
    expect(s.matches(pod({}, "n1"))).toBe(true);
    expect(s.matches(pod({}, "n1", "Failed"))).toBe(false);
    expect(s.matches(pod({}, "n2"))).toBe(false);
    const unbound = fieldSelectorOf("spec.nodeName=", "Pod");
    expect(unbound.ok && unbound.matches(pod({}))).toBe(true);
  });

  test("a field the kind does not support is refused, as the API server does", () => {
    expect(fieldSelectorOf("spec.nodeName=n1", "Deployment")).toEqual({ ok: false, message: "field label not supported: spec.nodeName" });
    expect(fieldSelectorOf("metadata.name=x", "Deployment").ok).toBe(true);
  });
});

describe("ages (apimachinery duration.HumanDuration)", () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  test.each([
    [-2 * s, "<invalid>"], [-500, "0s"], [1 * s, "1s"], [70 * s, "70s"], [190 * s, "3m10s"], [5 * m, "5m"], [70 * m, "70m"],
    [3 * h, "3h"], [4 * h + 15 * m, "4h15m"], [47 * h, "47h"], [49 * h, "2d1h"], [8 * d + 2 * h, "8d"], [367 * d, "367d"],
    [(365 * 2 + 4) * d, "2y4d"], [(365 * 8 + 10) * d, "8y"],
  ])("%d ms → %s", (ms, text) => expect(humanDuration(ms)).toBe(text));
});
