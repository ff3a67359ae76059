import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatScenarioError, loadScenarioFile } from "../../src/scenario/load.ts";
import type { ScenarioError } from "../../src/scenario/load.ts";
import { lineOf, loadText, validScenario, webManifest } from "./helpers.ts";

function errorOf(text: string, files?: Record<string, string>): ScenarioError {
  const result = loadText(text, files);
  if (result.ok) throw new Error("expected an error, the scenario loaded");
  return result.error;
}

/** Replaces exactly one occurrence, so that a test cannot silently break nothing. */
function edit(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

describe("Rollout faults", () => {
  const rollout = (fields: string) => edit(validScenario, "    - {at: 40m, type: ScaleWorkload, name: web, replicas: 6}\n", `    - {at: 40m, type: Rollout, name: web, ${fields}}\n`);
  it("a new image for a container resolves to the Deployment's new pod template", () => {
    const result = loadText(rollout('image: {web: "nginx:1.28"}'));
    if (!result.ok) throw new Error(formatScenarioError(result.error));
    const fault = result.plan.faults.find((f) => f.kind === "Rollout");
    expect(fault?.kind === "Rollout" && fault.template.spec.containers[0]?.image).toBe("nginx:1.28");
    expect(fault?.label).toBe("roll out default/web (web=nginx:1.28)");
  });
  it("names an unknown container as kubectl set image does, at the key", () => {
    const text = rollout('image: {nginx: "nginx:1.28"}');
    const e = errorOf(text);
    expect(e.message).toBe('unable to find container named "nginx" (containers: web)');
    expect(e.line).toBe(lineOf(text, "type: Rollout"));
  });
  it("needs an image or a strategic patch, and a change", () => {
    expect(errorOf(rollout("label: nothing")).message).toMatch(/^expected "image" \(container name → image\) or "strategic"/);
    expect(errorOf(rollout('image: {web: "nginx"}')).message).toBe("the rollout does not change the pod template");
  });
  it("names only a Deployment of the scenario", () => {
    const text = edit(validScenario, "    - {at: 40m, type: ScaleWorkload, name: web, replicas: 6}\n", '    - {at: 40m, type: Rollout, name: wab, image: {web: "x"}}\n');
    expect(errorOf(text).message).toMatch(/^no Deployment or DaemonSet "default\/wab" in this scenario/);
  });
});

describe("rollback: Rollouts resolve in time order, each over the one before", () => {
  const twoRollouts = (first: string, second: string) =>
    edit(validScenario, "    - {at: 40m, type: ScaleWorkload, name: web, replicas: 6}\n", `    - {at: 40m, type: Rollout, name: web, image: {web: "${second}"}}\n    - {at: 30m, type: Rollout, name: web, image: {web: "${first}"}}\n`);
  it("a second Rollout back to the first image is a change (the later one is written first here)", () => {
    const result = loadText(twoRollouts("nginx:1.28", "nginx"));
    if (!result.ok) throw new Error(formatScenarioError(result.error));
    const images = result.plan.faults.flatMap((f) => (f.kind === "Rollout" ? [[f.atMs, f.template.spec.containers[0]?.image]] : []));
    expect(images).toEqual([[40 * 60_000, "nginx"], [30 * 60_000, "nginx:1.28"]]);
  });
  it("rolling out the image the earlier Rollout set is no change", () => {
    expect(errorOf(twoRollouts("nginx:1.28", "nginx:1.28")).message).toBe("the rollout does not change the pod template");
  });
});

describe("containerBehavior", () => {
  const withBehavior = (yaml: string) => edit(validScenario, "  seed: 3\n", `  seed: 3\n  containerBehavior:\n${yaml}`);
  it("decodes ranges, defaults the exit code and the probe timing", () => {
    const result = loadText(withBehavior("    - match: {selector: {app: web}, image: nginx}\n      exit: {after: {min: 1s, max: 3s}}\n      readinessFailure: {after: 1m, for: 30s}\n"));
    if (!result.ok) throw new Error(formatScenarioError(result.error));
    expect(result.plan.containerBehaviors).toEqual([
      {
        name: "app=web image nginx",
        selector: { app: "web" },
        image: "nginx",
        exit: { afterMs: { minMs: 1000, maxMs: 3000 }, exitCode: 1 },
        readinessFailure: { afterMs: { minMs: 60_000, maxMs: 60_000 }, forMs: { minMs: 30_000, maxMs: 30_000 }, probe: { initialDelayMs: 0, periodMs: 10_000, failureThreshold: 3, successThreshold: 1 } },
      },
    ]);
  });
  it("decodes a memory working set in bytes, the parts not given 0", () => {
    const result = loadText(withBehavior("    - match: {}\n      memory: {base: 100Mi, growthPerMinute: 1Mi}\n"));
    if (!result.ok) throw new Error(formatScenarioError(result.error));
    expect(result.plan.containerBehaviors?.[0]?.memory).toEqual({ baseBytes: 100 * 2 ** 20, growthBytesPerMinute: 2 ** 20, perRequestPerSecondBytes: 0 });
  });
  it("decodes readyAfter never and a liveness failure with and without an end", () => {
    const result = loadText(withBehavior("    - match: {selector: {app: a}}\n      readyAfter: never\n    - match: {selector: {app: b}}\n      livenessFailure: {after: 1m}\n    - match: {selector: {app: c}}\n      livenessFailure: {after: 1m, for: {min: 10s, max: 20s}}\n"));
    if (!result.ok) throw new Error(formatScenarioError(result.error));
    expect(result.plan.containerBehaviors?.map((b) => [b.readyAfter, b.livenessFailure])).toEqual([
      ["never", undefined],
      [undefined, { afterMs: { minMs: 60_000, maxMs: 60_000 } }],
      [undefined, { afterMs: { minMs: 60_000, maxMs: 60_000 }, forMs: { minMs: 10_000, maxMs: 20_000 } }],
    ]);
  });
  it("a range whose min is above its max, at min", () => {
    const e = errorOf(withBehavior("    - match: {}\n      readyAfter: {min: 5s, max: 2s}\n"));
    expect(e).toMatchObject({ path: "spec.containerBehavior[0].readyAfter.min", message: "expected min (5s) not above max (2s)" });
  });
  it("a namespace the scenario does not have", () => {
    const e = errorOf(withBehavior("    - match: {namespace: nope}\n      exit: {after: 0s}\n"));
    expect(e).toMatchObject({ path: "spec.containerBehavior[0].match.namespace" });
    expect(e.message).toMatch(/^no namespace "nope" in this scenario/);
  });
  it("a rule that says nothing", () => {
    expect(errorOf(withBehavior("    - match: {}\n")).message).toBe('expected at least one of "readyAfter", "exit", "readinessFailure", "livenessFailure", "preStop", "stopAfter" and "memory"');
  });
  it("an exit code outside 0-255", () => {
    expect(errorOf(withBehavior("    - match: {}\n      exit: {after: 1s, exitCode: 256}\n")).path).toBe("spec.containerBehavior[0].exit.exitCode");
  });
});

describe("images and image pulls", () => {
  const withImages = (yaml: string) => edit(validScenario, "  seed: 3\n", `  seed: 3\n${yaml}`);
  it("an image listed twice, at its second entry", () => {
    const e = errorOf(withImages("  images:\n    - {image: a:1, size: 1Gi}\n    - {image: a:1, size: 2Gi}\n"));
    expect(e).toMatchObject({ path: "spec.images[1].image", message: 'image "a:1" is listed twice' });
  });
  it("a size that is no quantity", () => {
    expect(errorOf(withImages("  images:\n    - {image: a:1, size: big}\n")).path).toBe("spec.images[0].size");
  });
  it("a bandwidth of 0", () => {
    const e = errorOf(withImages("  parameters:\n    imagePulls: {bandwidth: 0}\n"));
    expect(e).toMatchObject({ path: "spec.parameters.imagePulls.bandwidth", message: "expected a whole number of bytes per second above 0, like 50Mi, got 0" });
  });
  it("defaults the pull parameters it does not set", () => {
    const result = loadText(withImages("  parameters:\n    imagePulls: {serialize: false}\n"));
    if (!result.ok) throw new Error(formatScenarioError(result.error));
    expect(result.plan.parameters.imagePulls).toEqual({ bytesPerSecond: 50 * 2 ** 20, defaultImageBytes: 0, serialize: false });
  });
});

describe("the valid scenario used below", () => {
  it("loads", () => {
    const result = loadText(validScenario);
    expect(result.ok).toBe(true);
  });
});

describe("one clear error per kind of bad input", () => {
  it("malformed YAML: line and column of the syntax error", () => {
    const text = edit(validScenario, "  seed: 3\n", "  seed: [3\n");
    const e = errorOf(text);
    expect(e.file).toBe("scenarios/demo.yaml");
    expect(e.line).toBeGreaterThanOrEqual(lineOf(text, "seed: [3"));
    expect(e.column).toBeGreaterThan(0);
    expect(e.message).toMatch(/^invalid YAML: /);
  });

  it("duplicate key is a YAML error at the second key", () => {
    const text = edit(validScenario, "  seed: 3\n", "  seed: 3\n  seed: 4\n");
    const e = errorOf(text);
    expect(e.line).toBe(lineOf(text, "seed: 4"));
    expect(e.message).toContain("unique");
  });

  it("unknown field: names the field, points at the key, lists the fields allowed", () => {
    const text = edit(validScenario, "  seed: 3\n", "  seed: 3\n  sede: 4\n");
    const e = errorOf(text);
    expect(e).toMatchObject({ file: "scenarios/demo.yaml", line: lineOf(text, "sede"), column: 3, path: "spec.sede" });
    expect(e.message).toBe(
      'unknown field "sede"; expected one of: duration, seed, cluster, controlPlane, namespaces, workloads, faults, expectations, parameters, variants, load, containerBehavior, images',
    );
  });

  it("wrong type: says what was expected and what was found", () => {
    const text = edit(validScenario, "count: 3", "count: three");
    const e = errorOf(text);
    expect(e).toMatchObject({ line: lineOf(text, "count: three"), column: 16, path: "spec.cluster.nodePools[0].count" });
    expect(e.message).toBe('expected a number, got "three"');
  });

  it("missing required field", () => {
    const text = edit(validScenario, "  duration: 1h\n", "");
    const e = errorOf(text);
    expect(e.path).toBe("spec.duration");
    expect(e.message).toBe('missing required field "duration"');
    expect(e.line).toBe(lineOf(text, "seed: 3")); // the mapping that lacks it
  });

  it("missing manifest file: points at the file entry", () => {
    const text = edit(validScenario, "file: apps/web.yaml", "file: apps/webb.yaml");
    const e = errorOf(text);
    expect(e).toMatchObject({ line: lineOf(text, "webb.yaml"), path: "spec.workloads[0].file" });
    expect(e.message).toBe("cannot read manifest file scenarios/apps/webb.yaml: no such file (apps/webb.yaml)");
  });

  it("missing manifest file on disk, through loadScenarioFile", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubetwin-scenario-"));
    const file = join(dir, "s.yaml");
    writeFileSync(file, edit(validScenario, "file: apps/web.yaml", "file: nope/web.yaml"));
    const result = loadScenarioFile(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.file).toBe(file);
    expect(result.error.path).toBe("spec.workloads[0].file");
    expect(result.error.message).toBe(`cannot read manifest file ${join(dir, "nope/web.yaml")}: no such file (${join(dir, "nope/web.yaml")})`);
  });

  it("missing scenario file", () => {
    const result = loadScenarioFile("/definitely/not/here.yaml");
    expect(result).toEqual({ ok: false, error: { file: "/definitely/not/here.yaml", path: "", message: "cannot read scenario file: no such file (/definitely/not/here.yaml)" } });
  });

  it("node pool count below 1", () => {
    const text = edit(validScenario, "count: 3", "count: 0");
    const e = errorOf(text);
    expect(e).toMatchObject({ line: lineOf(text, "count: 0"), path: "spec.cluster.nodePools[0].count" });
    expect(e.message).toBe("expected a value greater than or equal to 1, got 0");
  });

  it("zero duration", () => {
    const text = edit(validScenario, "duration: 1h", "duration: 0s");
    const e = errorOf(text);
    expect(e).toMatchObject({ line: lineOf(text, "duration: 0s"), column: 13, path: "spec.duration" });
    expect(e.message).toBe('expected a duration like "30s", "5m" or "1h30m", longer than zero, got "0s"');
  });

  it("a duration that does not parse", () => {
    const text = edit(validScenario, "at: 20m", "at: soon");
    const e = errorOf(text);
    expect(formatScenarioError(e)).toBe(
      `scenarios/demo.yaml:${lineOf(text, "at: soon")}:12: spec.faults[0].at: expected a duration like "30s", "5m" or "1h30m", got "soon"`,
    );
  });

  it("a fault after the end of the run", () => {
    const text = edit(validScenario, "at: 40m", "at: 2h");
    const e = errorOf(text);
    expect(e).toMatchObject({ line: lineOf(text, "at: 2h"), path: "spec.faults[3].at" });
    expect(e.message).toBe("expected a time before the end of the run (1h), got 2h");
  });

  it("a workload created after the end of the run", () => {
    const text = edit(validScenario, "    - file: apps/web.yaml\n", "    - file: apps/web.yaml\n      at: 1h\n");
    expect(errorOf(text)).toMatchObject({ path: "spec.workloads[0].at", line: lineOf(text, "at: 1h") });
  });

  it("a fault naming a node that does not exist", () => {
    const text = edit(validScenario, "node: pool-0", "node: pool-9");
    const e = errorOf(text);
    expect(e).toMatchObject({ line: lineOf(text, "node: pool-9"), path: "spec.faults[0].node" });
    expect(e.message).toBe('no node named "pool-9"; nodes are named <pool>-<index>, e.g. pool-0 … pool-2');
  });

  it("a fault naming a zone without nodes", () => {
    const text = edit(validScenario, "node: pool-0", "zone: zone-x");
    expect(errorOf(text)).toMatchObject({ path: "spec.faults[0].zone", message: 'no node in zone "zone-x"; known: zone-a, zone-b' });
  });

  it("a fault naming a pool that does not exist, or an index past its end", () => {
    const badPool = edit(validScenario, "pool: pool, index: 0", "pool: gpu, index: 0");
    expect(errorOf(badPool)).toMatchObject({ path: "spec.faults[1].pool", message: 'no node pool "gpu"; known: pool' });
    const badIndex = edit(validScenario, "pool: pool, index: 0", "pool: pool, index: 3");
    expect(errorOf(badIndex)).toMatchObject({ path: "spec.faults[1].index", message: 'expected an index from 0 to 2 (pool "pool" has 3 nodes), got 3' });
  });

  it("a fault with two targets", () => {
    const text = edit(validScenario, "node: pool-0", "node: pool-0, zone: zone-a");
    expect(errorOf(text)).toMatchObject({ path: "spec.faults[0]", message: 'expected exactly one target: "node", "zone" or "pool" (with "index")' });
  });

  it("a fault of an unknown type points at the type", () => {
    const text = edit(validScenario, "type: NodeCrash", "type: NodeCrush");
    const e = errorOf(text);
    expect(e).toMatchObject({ path: "spec.faults[0].type", line: lineOf(text, "NodeCrush") });
    expect(e.message).toBe('expected a fault with "type" one of NodeCrash, NodeRecover, SpotInterruption, NodeDrain, NodeCordon, NodeUncordon, PodKill, ScaleWorkload, Rollout, RolloutPause, RolloutResume, RolloutUndo, Delete, ControlPlaneIsolate, ControlPlaneHeal, ControlPlaneCrash, ControlPlaneRestart, ControlPlaneSlowDisk, ControlPlaneClockDrift, got "NodeCrush"');
  });

  it("scaling a workload that does not exist", () => {
    const text = edit(validScenario, "name: web, replicas: 6", "name: wbe, replicas: 6");
    expect(errorOf(text)).toMatchObject({ path: "spec.faults[3].name", message: 'no Deployment or ReplicaSet "default/wbe" in this scenario; known: default/api, default/web' });
  });

  it("an expectation naming a workload that does not exist", () => {
    const text = edit(validScenario, "workload: default/api", "workload: default/apx");
    const e = errorOf(text);
    expect(e).toMatchObject({ line: lineOf(text, "default/apx"), path: "spec.expectations[1].availability.workload" });
    expect(e.message).toBe('expected "*" or a Deployment/ReplicaSet "namespace/name" of this scenario, got "default/apx"; known: default/api, default/web');
  });

  it("an expectation stating two things at once", () => {
    const text = edit(validScenario, "    - maxPending: 2m\n", "    - maxPending: 2m\n      converged: {}\n");
    expect(errorOf(text)).toMatchObject({ path: "spec.expectations[0]", message: 'expected exactly one of "maxPending", "availability", "converged", "jobs", "resourceAccuracy", "latency" or "dropped"' });
  });

  it("a resourceAccuracy expectation without a limit", () => {
    const text = edit(validScenario, "    - maxPending: 2m\n", "    - resourceAccuracy: {workload: web, after: 1m}\n");
    expect(errorOf(text)).toMatchObject({ path: "spec.expectations[0].resourceAccuracy", message: 'expected at least one of "maxCpuUnderProvisioned", "maxCpuSlack", "maxMemoryUnderProvisioned", "maxMemorySlack"' });
  });

  it("a resourceAccuracy limit that is not a fraction", () => {
    const text = edit(validScenario, "    - maxPending: 2m\n", "    - resourceAccuracy: {workload: web, maxCpuSlack: 2}\n");
    expect(errorOf(text)?.path).toBe("spec.expectations[0].resourceAccuracy.maxCpuSlack");
  });

  it("a jobs expectation naming no CronJob or Job of the scenario", () => {
    const text = edit(validScenario, "    - maxPending: 2m\n", "    - jobs: {owner: cronjob/nightly, minSucceeded: 1}\n");
    expect(errorOf(text)).toMatchObject({ path: "spec.expectations[0].jobs.owner", message: 'expected "cronjob/namespace/name" or "job/namespace/name" of a CronJob or Job of this scenario, got "cronjob/nightly" (there are none)' });
  });

  it("an availability above 100%", () => {
    const text = edit(validScenario, "min: 50%", "min: 150%");
    expect(errorOf(text)).toMatchObject({ path: "spec.expectations[1].availability.min", message: 'expected a fraction between 0 and 1 like "90%" or 0.9, got "150%"' });
  });

  it("negative replicas in a fault", () => {
    const text = edit(validScenario, "replicas: 6", "replicas: -1");
    expect(errorOf(text)).toMatchObject({ path: "spec.faults[3].replicas", line: lineOf(text, "replicas: -1"), message: "expected a value greater than or equal to 0, got -1" });
  });

  it("negative replicas in a manifest file: the error names that file and its line", () => {
    const manifest = edit(webManifest, "replicas: 3", "replicas: -3");
    const e = errorOf(validScenario, { "apps/web.yaml": manifest });
    expect(e).toMatchObject({ file: "scenarios/apps/web.yaml", line: lineOf(manifest, "replicas: -3"), column: 13, path: "documents[0].spec.replicas" });
    expect(e.message).toBe("expected a value greater than or equal to 0, got -3");
  });

  it("a quantity that does not parse, in a node pool", () => {
    const text = edit(validScenario, "memory: 16Gi}", "memory: 16GB}");
    const e = errorOf(text);
    expect(e).toMatchObject({ line: lineOf(text, "16GB"), path: "spec.cluster.nodePools[0].allocatable.memory" });
    expect(e.message).toBe('expected a quantity like "500m", "2", "512Mi" or "4Gi", got "16GB"');
  });

  it("a quantity that does not parse, in an inline manifest", () => {
    const text = edit(validScenario, "cpu: 250m", "cpu: 250 m");
    const e = errorOf(text);
    expect(e).toMatchObject({ line: lineOf(text, "250 m"), path: "spec.workloads[1].manifest.spec.template.spec.containers[0].resources.requests.cpu" });
  });

  it("a request above its limit", () => {
    const manifest = edit(webManifest, "requests: {cpu: 100m", "requests: {cpu: 300m");
    const e = errorOf(validScenario, { "apps/web.yaml": manifest });
    expect(e).toMatchObject({ file: "scenarios/apps/web.yaml", path: "documents[0].spec.template.spec.containers[0].resources.requests.cpu" });
    expect(e.message).toBe("the request must not exceed the limit (200m)");
  });

  it("a selector that does not match the template's labels", () => {
    const manifest = edit(webManifest, "    matchLabels: {app: web}", "    matchLabels: {app: webs}");
    expect(errorOf(validScenario, { "apps/web.yaml": manifest })).toMatchObject({
      path: "documents[0].spec.selector",
      message: "the selector does not match the template's labels (spec.template.metadata.labels)",
    });
  });

  it("malformed YAML in a manifest file names that file", () => {
    const e = errorOf(validScenario, { "apps/web.yaml": "kind: Deployment\nmetadata: {name: web\n" });
    expect(e.file).toBe("scenarios/apps/web.yaml");
    expect(e.message).toMatch(/^invalid YAML: /);
  });

  it("the same Deployment twice", () => {
    const apiEntry = validScenario.slice(validScenario.indexOf("    - manifest:"), validScenario.indexOf("  faults:"));
    const text = edit(validScenario, "  faults:\n", `${apiEntry}  faults:\n`);
    const e = errorOf(text);
    expect(e.message).toBe("duplicate Deployment default/api (defined twice in this scenario)");
    expect(e.path).toBe("spec.workloads[2].manifest.metadata.name");
  });

  it("a workload entry with neither manifest nor file", () => {
    const text = edit(validScenario, "    - file: apps/web.yaml\n", "    - at: 1m\n");
    expect(errorOf(text)).toMatchObject({ path: "spec.workloads[0]", message: 'expected exactly one of "manifest" (an inline object) or "file" (a path)' });
  });

  it("a variant may not be called baseline", () => {
    const text = edit(validScenario, "    binpack:\n", "    baseline:\n");
    expect(errorOf(text)).toMatchObject({ path: "spec.variants.baseline", line: lineOf(text, "baseline:"), column: 5 });
  });

  it("a wrong apiVersion or kind", () => {
    const text = edit(validScenario, "kind: Scenario", "kind: Deployment");
    expect(errorOf(text)).toMatchObject({ line: 2, column: 7, path: "kind", message: 'expected "Scenario", got "Deployment"' });
  });

  it("an empty file and a file with two documents", () => {
    expect(errorOf("")).toEqual({ file: "scenarios/demo.yaml", path: "", message: "expected one YAML document holding a Scenario, found an empty file" });
    expect(errorOf(`${validScenario}---\n${validScenario}`).message).toBe("expected one YAML document holding a Scenario, found 2 documents");
  });

  it("a document that is not a mapping", () => {
    // Not quoted: the file may be anything (see paths.test.ts).
    expect(errorOf("- just\n- a list\n")).toMatchObject({ path: "", line: 1, column: 1, message: "not a kubetwin Scenario: expected a mapping with apiVersion kubetwin/v1 and kind Scenario, found a list" });
  });
});

describe("formatScenarioError", () => {
  it("writes file:line:column: path: message, leaving out what is unknown", () => {
    expect(formatScenarioError({ file: "a.yaml", line: 3, column: 7, path: "spec.seed", message: "bad" })).toBe("a.yaml:3:7: spec.seed: bad");
    expect(formatScenarioError({ file: "a.yaml", path: "", message: "bad" })).toBe("a.yaml: bad");
  });
});

describe("control-plane faults", () => {
  const crashLeader = "    - {at: 20m, type: NodeCrash, node: pool-0}\n    - {at: 21m, type: ControlPlaneCrash, member: leader}\n";

  it("need a Raft control plane", () => {
    const text = edit(validScenario, "    - {at: 20m, type: NodeCrash, node: pool-0}\n", crashLeader);
    const e = errorOf(text);
    expect(e.path).toBe("spec.faults[1].type");
    expect(e.message).toBe("ControlPlaneCrash needs a Raft control plane: add spec.controlPlane (e.g. {members: 3})");
  });

  it("name a member that exists", () => {
    const withRaft = edit(validScenario, "  faults:\n", "  controlPlane: {members: 3}\n  faults:\n");
    const text = edit(withRaft, "    - {at: 20m, type: NodeCrash, node: pool-0}\n", "    - {at: 21m, type: ControlPlaneIsolate, member: 4}\n");
    const e = errorOf(text);
    expect(e.path).toBe("spec.faults[0].member");
    expect(e.message).toBe("expected a member id from 1 to 3, got 4");
  });

  it("accept a 5-member group and every control-plane fault", () => {
    const withRaft = edit(validScenario, "  faults:\n", "  controlPlane: {members: 5, electionTimeout: 2s}\n  faults:\n");
    const text = edit(
      withRaft,
      "    - {at: 20m, type: NodeCrash, node: pool-0}\n",
      [
        "    - {at: 1m, type: ControlPlaneIsolate, member: leader}",
        "    - {at: 2m, type: ControlPlaneHeal}",
        "    - {at: 3m, type: ControlPlaneCrash, member: 2}",
        "    - {at: 4m, type: ControlPlaneRestart, member: crashed}",
        "    - {at: 5m, type: ControlPlaneSlowDisk, member: 1, factor: 20, duration: 1m}",
        "    - {at: 6m, type: ControlPlaneClockDrift, member: 3, factor: 1.5}",
        "",
      ].join("\n"),
    );
    const result = loadText(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.parameters.controlPlane).toMatchObject({ store: "raft", members: 5, electionTimeoutMs: 2000, heartbeatMs: 100 });
    expect(result.plan.faults.map((f) => f.kind).slice(0, 6)).toEqual([
      "ControlPlaneIsolate", "ControlPlaneHeal", "ControlPlaneCrash", "ControlPlaneRestart", "ControlPlaneSlowDisk", "ControlPlaneClockDrift",
    ]);
  });
});
