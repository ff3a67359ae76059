/** Golden: the example inputs' JSON and table output are a contract (UPDATE_GOLDEN=1 rewrites; a missing file fails). */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { ExplainInputError, explainSchedule, formatExplainTable } from "../../src/cli/explain-schedule.ts";

const dir = new URL("../fixtures/explain/", import.meta.url);

function golden(name: string, actual: string): void {
  const url = new URL(name, dir);
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(url, actual);
  expect(existsSync(url), `golden file ${name} is missing (UPDATE_GOLDEN=1 writes it; review it before committing)`).toBe(true);
  expect(actual).toBe(readFileSync(url, "utf8"));
}

describe("explain schedule", () => {
  for (const example of ["web-replica", "bin-packing-profile", "prefilter-match-fields"]) {
    test(`${example}: JSON and table match the golden files`, () => {
      const input = JSON.parse(readFileSync(new URL(`${example}.json`, dir), "utf8"));
      const result = explainSchedule(input);
      golden(`${example}.golden.json`, JSON.stringify(result, null, 2) + "\n");
      golden(`${example}.golden.txt`, formatExplainTable(result));
      expect(Object.keys(result)).toEqual(["selectedNode", "nodes"]);
      for (const n of result.nodes) expect(Object.keys(n)).toEqual(["name", "filter", "scores", "total"]);
    });
  }

  test("web-replica: anti-affinity, taint and fit rule nodes out; ssd preference wins", () => {
    const input = JSON.parse(readFileSync(new URL("web-replica.json", dir), "utf8"));
    const result = explainSchedule(input);
    expect(result.selectedNode).toBe("node-b2");
    const byName = Object.fromEntries(result.nodes.map((n) => [n.name, n]));
    expect(byName["node-a1"]?.total).toBeNull();
    expect(byName["node-a2"]?.total).not.toBeNull();
    expect((byName["node-b2"]?.total as number) > (byName["node-a2"]?.total as number)).toBe(true);
    expect(byName["node-b1"]?.filter.find((f) => f.plugin === "TaintToleration")?.code).toBe("UnschedulableAndUnresolvable");
  });

  test("nodes excluded by a PreFilter result are shown with upstream's status (schedule_one.go findNodesThatFitPod)", () => {
    const input = JSON.parse(readFileSync(new URL("prefilter-match-fields.json", dir), "utf8"));
    const result = explainSchedule(input);
    expect(result.selectedNode).toBe("node1");
    expect(result.nodes.map((n) => n.name)).toEqual(["node1", "node2", "node3"]);
    for (const name of ["node2", "node3"]) {
      const n = result.nodes.find((x) => x.name === name);
      expect(n?.total).toBeNull();
      expect(n?.filter).toEqual([{ plugin: "NodeAffinity", code: "UnschedulableAndUnresolvable", reasons: ["node(s) didn't satisfy plugin(s) [NodeAffinity]"] }]);
    }
    expect(formatExplainTable(result)).toMatch(/^node2 +- +NodeAffinity \(UnschedulableAndUnresolvable\): node\(s\) didn't satisfy plugin\(s\) \[NodeAffinity\]$/m);
  });

  test("a golden file that is missing fails instead of being written", () => {
    const missing = new URL("no-such-example.golden.txt", dir);
    expect(() => golden("no-such-example.golden.txt", "anything")).toThrow(/golden file no-such-example\.golden\.txt is missing/);
    expect(existsSync(missing)).toBe(false);
  });

  test("bad input names the object and the field", () => {
    const input = JSON.parse(readFileSync(new URL("web-replica.json", dir), "utf8"));
    input.pods[2].spec.containers[0].resources.requests.cpu = "abc";
    expect(() => explainSchedule(input)).toThrow(
      'pods[2] (shop/cache-0): spec.containers[0].resources.requests.cpu: expected a quantity like "500m", "2", "512Mi" or "4Gi", got "abc"',
    );
    const fresh = JSON.parse(readFileSync(new URL("web-replica.json", dir), "utf8"));
    const e = (() => {
      try {
        explainSchedule({ ...fresh, pod: { metadata: { name: "x" }, spec: { containers: [{ name: "c" }], priority: "high" } } });
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(ExplainInputError);
    expect((e as ExplainInputError).object).toBe("pod (default/x)");
    expect((e as ExplainInputError).path).toBe("spec.priority");
    expect(() => explainSchedule({ nodes: [] })).toThrow("input: nodes: expected at least one node");
    expect(() => explainSchedule({ ...fresh, pods: [{ metadata: {} }] })).toThrow('input: pods[0].metadata.name: missing required field "name"');
    expect(() => explainSchedule({ ...fresh, nodes: [{ metadata: { name: "n" }, status: { allocatable: { memory: "1GB" } } }] })).toThrow(
      'nodes[0] (n): status.allocatable.memory: expected a quantity like "500m", "2", "512Mi" or "4Gi", got "1GB"',
    );
    expect(() => explainSchedule({ ...fresh, pod: { ...fresh.pod, spec: { ...fresh.pod.spec, nodeName: "node-a1" } } })).toThrow("pod (shop/web-1): spec.nodeName: the pod to schedule must not be bound");
    expect(() => explainSchedule({ ...fresh, profile: { plugins: { score: { enabled: [{ name: "Magic" }] } } } })).toThrow('profile: plugin "Magic" does not exist');
  });
});
