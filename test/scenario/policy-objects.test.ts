import { describe, expect, it } from "vitest";
import type { StoredObject } from "../../src/model/stored-objects.ts";
import type { ScenarioError } from "../../src/scenario/load.ts";
import type { ScenarioPlan } from "../../src/sim/plan.ts";
import { lineOf, loadText } from "./helpers.ts";

const header = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: policy}
spec:
  duration: 1h
  cluster:
    nodePools:
      - {name: p, count: 2, zones: [zone-a, zone-b], allocatable: {cpu: "4", memory: 8Gi}}
  workloads:
    - file: objects.yaml
`;

function planOf(objects: string, extra = ""): ScenarioPlan {
  const result = loadText(header + extra, { "objects.yaml": objects });
  if (!result.ok) throw new Error(`${result.error.path}: ${result.error.message}`);
  return result.plan;
}

function errorOf(objects: string, extra = ""): ScenarioError {
  const result = loadText(header + extra, { "objects.yaml": objects });
  if (result.ok) throw new Error("expected an error, the scenario loaded");
  return result.error;
}

function objectsOf(plan: ScenarioPlan): StoredObject[] {
  return plan.workloads.flatMap((w) => (w.kind === "PolicyObject" ? [w.object] : []));
}

function only(objects: string): StoredObject {
  const plan = planOf(objects);
  expect(plan.warnings).toEqual([]);
  const all = objectsOf(plan);
  expect(all).toHaveLength(1);
  return all[0] as StoredObject;
}

const meta = (name: string, namespace: string) => ({ name, namespace, uid: "", labels: {}, creationMs: 0, generation: 1 });

describe("each policy kind converts, with units and the API server's defaults", () => {
  it("PriorityClass: cluster-scoped, value kept, globalDefault false and PreemptLowerPriority by default", () => {
    const pc = only(`apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: batch, namespace: ignored, labels: {tier: low}}
value: 100
description: batch jobs
`);
    expect(pc).toEqual({
      kind: "PriorityClass",
      metadata: { ...meta("batch", ""), labels: { tier: "low" } },
      value: 100,
      globalDefault: false,
      preemptionPolicy: "PreemptLowerPriority",
      description: "batch jobs",
    });
    const never = only("kind: PriorityClass\nmetadata: {name: n}\nvalue: -5\nglobalDefault: true\npreemptionPolicy: Never\n");
    expect(never).toMatchObject({ value: -5, globalDefault: true, preemptionPolicy: "Never" });
    expect(never).not.toHaveProperty("description");
  });

  it("PriorityClass: the built-in system classes may be restated with their own values", () => {
    const pc = only("kind: PriorityClass\nmetadata: {name: system-node-critical}\nvalue: 2000001000\n");
    expect(pc).toMatchObject({ value: 2_000_001_000 });
  });

  it("PodDisruptionBudget: selector and budget kept as written, status all zero", () => {
    const pdb = only(`apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}, matchExpressions: [{key: tier, operator: In, values: [front]}]}
  minAvailable: 50%
  unhealthyPodEvictionPolicy: AlwaysAllow
`);
    expect(pdb).toEqual({
      kind: "PodDisruptionBudget",
      metadata: meta("web", "shop"),
      spec: {
        selector: { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["front"] }] },
        minAvailable: "50%",
        unhealthyPodEvictionPolicy: "AlwaysAllow",
      },
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    });
    const byCount = only("kind: PodDisruptionBudget\nmetadata: {name: db}\nspec: {maxUnavailable: 1}\n");
    expect(byCount).toMatchObject({ metadata: { namespace: "default" }, spec: { maxUnavailable: 1 } });
    expect(byCount).not.toHaveProperty("spec.selector");
  });

  it("ResourceQuota: each hard value in its resource's unit (cpu names in millicores), status hard = spec hard", () => {
    const rq = only(`apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: team}
spec:
  hard:
    pods: "10"
    count/pods: 12
    requests.cpu: "4"
    limits.cpu: 8500m
    cpu: 0.5
    requests.memory: 8Gi
    limits.memory: 16Gi
    persistentvolumeclaims: 5
    requests.storage: 100Gi
    requests.nvidia.com/gpu: 2
`);
    const hard = {
      "count/pods": 12,
      cpu: 500,
      "limits.cpu": 8500,
      "limits.memory": 16 * 2 ** 30,
      persistentvolumeclaims: 5,
      pods: 10,
      "requests.cpu": 4000,
      "requests.memory": 8 * 2 ** 30,
      "requests.nvidia.com/gpu": 2,
      "requests.storage": 100 * 2 ** 30,
    };
    expect(rq).toEqual({ kind: "ResourceQuota", metadata: meta("compute", "team"), spec: { hard }, status: { hard, used: {} } });
    // Keys sorted, so that the plan (and the event log) do not depend on the manifest's order.
    if (rq.kind === "ResourceQuota") expect(Object.keys(rq.spec.hard)).toEqual(Object.keys(hard).sort());
  });

  it("LimitRange: every list converted, ratios as plain numbers", () => {
    const lr = only(`apiVersion: v1
kind: LimitRange
metadata: {name: defaults}
spec:
  limits:
    - type: Container
      default: {cpu: 500m, memory: 512Mi}
      defaultRequest: {cpu: 250m, memory: 256Mi}
      max: {cpu: "2", memory: 2Gi}
      min: {cpu: 50m}
      maxLimitRequestRatio: {cpu: "4", memory: 1.5}
    - type: Pod
      max: {cpu: "3"}
    - type: PersistentVolumeClaim
      min: {storage: 1Gi}
      max: {storage: 10Gi}
`);
    expect(lr).toEqual({
      kind: "LimitRange",
      metadata: meta("defaults", "default"),
      spec: {
        limits: [
          {
            type: "Container",
            default: { cpu: 500, memory: 512 * 2 ** 20 },
            defaultRequest: { cpu: 250, memory: 256 * 2 ** 20 },
            max: { cpu: 2000, memory: 2 * 2 ** 30 },
            min: { cpu: 50 },
            maxLimitRequestRatio: { cpu: 4, memory: 1.5 },
          },
          { type: "Pod", max: { cpu: 3000 } },
          { type: "PersistentVolumeClaim", min: { storage: 2 ** 30 }, max: { storage: 10 * 2 ** 30 } },
        ],
      },
    });
  });

  it("PersistentVolume: cluster-scoped, capacity in bytes, zonal node affinity, Bound when it names its claim", () => {
    const pv = only(`apiVersion: v1
kind: PersistentVolume
metadata: {name: data-a, namespace: ignored}
spec:
  capacity: {storage: 20Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: zonal
  persistentVolumeReclaimPolicy: Retain
  csi: {driver: pd.csi.storage.gke.io, volumeHandle: disk-1}
  claimRef: {name: data, kind: PersistentVolumeClaim}
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [zone-a]}]
`);
    expect(pv).toEqual({
      kind: "PersistentVolume",
      metadata: meta("data-a", ""),
      spec: {
        capacity: { storage: 20 * 2 ** 30 },
        accessModes: ["ReadWriteOnce"],
        storageClassName: "zonal",
        claimRef: { namespace: "default", name: "data" },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["zone-a"] }] }] } },
      },
      status: { phase: "Bound" },
    });
    const free = only("kind: PersistentVolume\nmetadata: {name: free}\nspec: {capacity: {storage: 1G}, storageClassName: \"\", hostPath: {path: /x}}\n");
    expect(free).toEqual({ kind: "PersistentVolume", metadata: meta("free", ""), spec: { capacity: { storage: 1e9 }, storageClassName: "" }, status: { phase: "Available" } });
  });

  it("PersistentVolumeClaim: namespaced, requests in bytes, Bound when it names its volume, else Pending", () => {
    const boundPlan = planOf(`apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: db}
spec:
  accessModes: [ReadWriteOncePod]
  storageClassName: zonal
  volumeName: data-a
  resources: {requests: {storage: 5Gi}}
`);
    expect(boundPlan.warnings).toHaveLength(1); // data-a is not in this scenario
    expect(objectsOf(boundPlan)[0]).toEqual({
      kind: "PersistentVolumeClaim",
      metadata: meta("data", "db"),
      spec: { accessModes: ["ReadWriteOncePod"], storageClassName: "zonal", volumeName: "data-a", resources: { requests: { storage: 5 * 2 ** 30 } } },
      status: { phase: "Bound" },
    });
    const pending = only("kind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: {resources: {requests: {storage: 500Mi}}}\n");
    expect(pending).toMatchObject({ spec: { resources: { requests: { storage: 500 * 2 ** 20 } } }, status: { phase: "Pending" } });
  });

  it("DeathStarBench's hostPath PV and its PVC convert (no node affinity: reachable from any node)", () => {
    const plan = loadText(`${header}    - file: pvc.yaml\n`, {
      "objects.yaml": `apiVersion: v1
kind: PersistentVolume
metadata:
  name: geo-pv
spec:
  volumeMode: Filesystem
  accessModes:
    - ReadWriteOnce
  capacity:
    storage: 1Gi
  storageClassName: geo-storage
  hostPath:
    path: /data/volumes/geo-pv
    type: DirectoryOrCreate
`,
      "pvc.yaml": "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: geo-pvc}\nspec: {accessModes: [ReadWriteOnce], storageClassName: geo-storage, resources: {requests: {storage: 1Gi}}}\n",
    });
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.plan.warnings).toEqual([]);
    expect(objectsOf(plan.plan).map((o) => [o.kind, o.metadata.name, "status" in o ? o.status : undefined])).toEqual([
      ["PersistentVolume", "geo-pv", { phase: "Available" }],
      ["PersistentVolumeClaim", "geo-pvc", { phase: "Pending" }],
    ]);
  });

  it("a namespace override applies to namespaced policy objects only; cluster-scoped ones add no namespace", () => {
    const objects = `kind: ResourceQuota
metadata: {name: q, namespace: a}
spec: {hard: {pods: 1}}
---
kind: PriorityClass
metadata: {name: pc}
value: 1
`;
    const result = loadText(header.replace("    - file: objects.yaml\n", "    - {file: objects.yaml, namespace: team}\n"), { "objects.yaml": objects });
    if (!result.ok) throw new Error(result.error.message);
    expect(objectsOf(result.plan).map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual(["ResourceQuota team/q", "PriorityClass /pc"]);
    expect(result.plan.namespaces).toEqual(["default", "team"]);
  });

  it("the same name may be used by two kinds, but not twice by one kind", () => {
    const twoKinds = "kind: ResourceQuota\nmetadata: {name: x}\nspec: {hard: {pods: 1}}\n---\nkind: LimitRange\nmetadata: {name: x}\nspec: {limits: []}\n";
    expect(objectsOf(planOf(twoKinds))).toHaveLength(2);
    const twice = "kind: PriorityClass\nmetadata: {name: x}\nvalue: 1\n---\nkind: PriorityClass\nmetadata: {name: x}\nvalue: 2\n";
    expect(errorOf(twice)).toMatchObject({ path: "documents[1].metadata.name", message: "duplicate PriorityClass x (defined twice in this scenario)" });
  });

  it("policy objects are neither scalable nor replica-overridable", () => {
    const objects = "kind: PodDisruptionBudget\nmetadata: {name: web}\nspec: {minAvailable: 1}\n";
    const replicas = loadText(header.replace("    - file: objects.yaml\n", "    - {file: objects.yaml, replicas: {web: 2}}\n"), { "objects.yaml": objects });
    expect(replicas.ok).toBe(false);
    if (!replicas.ok) expect(replicas.error.message).toBe('no Deployment or ReplicaSet named "web" in this entry; this entry holds none');
    const scaled = errorOf(objects, "  faults:\n    - {at: 1m, type: ScaleWorkload, name: web, replicas: 3}\n");
    expect(scaled).toMatchObject({ path: "spec.faults[0].name" });
    expect(scaled.message).toContain('no Deployment or ReplicaSet "default/web"');
  });
});

describe("bad values are errors naming the file, line, path and what was expected", () => {
  function expectError(objects: string, path: string, lineNeedle: string, message: string | RegExp): void {
    const e = errorOf(objects);
    expect(e.file).toBe("scenarios/objects.yaml");
    expect(e.path).toBe(path);
    expect(e.line).toBe(lineOf(objects, lineNeedle));
    if (typeof message === "string") expect(e.message).toBe(message);
    else expect(e.message).toMatch(message);
  }

  it("a PriorityClass without a value", () => {
    // A missing field points at the mapping that lacks it.
    expectError("kind: PriorityClass\nmetadata: {name: batch}\n", "value", "kind:", 'missing required field "value"');
  });

  it("a PriorityClass value that is not an integer, or too high for a user class", () => {
    expectError("kind: PriorityClass\nmetadata: {name: batch}\nvalue: 1.5\n", "value", "value:", /integer.*got 1\.5/);
    expectError("kind: PriorityClass\nmetadata: {name: batch}\nvalue: \"high\"\n", "value", "value:", /got "high"/);
    expectError(
      "kind: PriorityClass\nmetadata: {name: batch}\nvalue: 1000000001\n",
      "value",
      "value:",
      "expected an integer from -2147483648 to 1000000000 (higher values are reserved for system classes), got 1000000001",
    );
  });

  it("a PriorityClass with a reserved name, or a system class with another value", () => {
    expectError("kind: PriorityClass\nmetadata:\n  name: system-mine\nvalue: 1\n", "metadata.name", "system-mine", /reserved for the built-in priority classes/);
    expectError("kind: PriorityClass\nmetadata: {name: system-cluster-critical}\nvalue: 5\n", "value", "value:", /expected 2000000000, the value of the built-in class/);
  });

  it("a PriorityClass with an unknown preemption policy", () => {
    expectError("kind: PriorityClass\nmetadata: {name: b}\nvalue: 1\npreemptionPolicy: Sometimes\n", "preemptionPolicy", "Sometimes", /got "Sometimes"/);
  });

  it("a PodDisruptionBudget with both minAvailable and maxUnavailable", () => {
    expectError(
      "kind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: 1\n  maxUnavailable: 1\n",
      "spec.maxUnavailable",
      "maxUnavailable",
      'expected only one of "minAvailable" and "maxUnavailable", both are set',
    );
  });

  it("a PodDisruptionBudget with a bad count or percentage", () => {
    expectError("kind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: half\n", "spec.minAvailable", "half", /percentage like "25%".*got "half"/);
    expectError("kind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  maxUnavailable: 150%\n", "spec.maxUnavailable", "150%", 'expected a percentage from 0% to 100%, got "150%"');
    expectError("kind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: -1\n", "spec.minAvailable", "-1", /got -1/);
  });

  it("an unparseable quota quantity", () => {
    expectError(
      "kind: ResourceQuota\nmetadata: {name: q}\nspec:\n  hard:\n    requests.cpu: lots\n",
      'spec.hard["requests.cpu"]',
      "lots",
      'expected a quantity like "500m", "2", "512Mi" or "4Gi", got "lots"',
    );
    expectError("kind: ResourceQuota\nmetadata: {name: q}\nspec:\n  hard:\n    pods: -3\n", "spec.hard.pods", "pods:", "expected a quantity that is not negative, got -3");
  });

  it("a scoped quota is refused by name (not silently applied to the whole namespace)", () => {
    expectError(
      "kind: ResourceQuota\nmetadata: {name: q}\nspec:\n  hard: {pods: 2}\n  scopes: [BestEffort]\n",
      "spec.scopes",
      "scopes",
      'ResourceQuota scopes are not supported yet; remove "scopes" (the quota would apply to every pod of the namespace)',
    );
    const e = errorOf("kind: ResourceQuota\nmetadata: {name: q}\nspec:\n  hard: {pods: 2}\n  scopeSelector: {matchExpressions: []}\n");
    expect(e).toMatchObject({ path: "spec.scopeSelector", message: expect.stringContaining("scopeSelector are not supported yet") });
  });

  it("a ResourceQuota without hard", () => {
    expectError("kind: ResourceQuota\nmetadata: {name: q}\nspec:\n  scopes: []\n", "spec.hard", "scopes", 'missing required field "hard"');
  });

  it("a LimitRange item with an unknown type, a bad quantity, defaults on a Pod item, or min above max", () => {
    const base = "kind: LimitRange\nmetadata: {name: l}\nspec:\n  limits:\n";
    expectError(`${base}    - type: Node\n      max: {cpu: 1}\n`, "spec.limits[0].type", "Node", /got "Node"/);
    expectError(`${base}    - type: Container\n      defaultRequest: {memory: 1Gb}\n`, "spec.limits[0].defaultRequest.memory", "1Gb", /quantity.*got "1Gb"/);
    expectError(`${base}    - type: Pod\n      default: {cpu: 1}\n`, "spec.limits[0].default", "default", '"default" may not be given when type is Pod (defaults apply to containers)');
    expectError(`${base}    - type: Container\n      min: {cpu: "2"}\n      max: {cpu: "1"}\n`, "spec.limits[0].min.cpu", 'min: {cpu: "2"}', "expected min.cpu to be at most max.cpu");
    expectError(`${base}    - type: Container\n      default: {cpu: 100m}\n      defaultRequest: {cpu: 200m}\n`, "spec.limits[0].defaultRequest.cpu", "200m", "expected defaultRequest.cpu to be at most default.cpu");
    expectError(`${base}    - type: Container\n      maxLimitRequestRatio: {cpu: 0.5}\n`, "spec.limits[0].maxLimitRequestRatio.cpu", "0.5", 'expected a ratio of at least 1, got 0.5');
    expectError(`${base}    - type: PersistentVolumeClaim\n      max: {cpu: 1}\n`, "spec.limits[0]", "type: PersistentVolumeClaim", /needs min.storage or max.storage/);
  });

  it("a PersistentVolume without storage capacity, a claim without a storage request, a bad access mode", () => {
    expectError("kind: PersistentVolume\nmetadata: {name: v}\nspec:\n  capacity: {cpu: 1}\n", "spec.capacity.storage", "capacity", 'missing required field "storage"');
    expectError("kind: PersistentVolume\nmetadata: {name: v}\nspec:\n  capacity: {storage: big}\n", "spec.capacity.storage", "big", /quantity.*got "big"/);
    expectError("kind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n  resources: {requests: {}}\n", "spec.resources.requests.storage", "resources", 'missing required field "storage"');
    expectError("kind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n  accessModes: [ReadWriteSometimes]\n  resources: {requests: {storage: 1Gi}}\n", "spec.accessModes[0]", "ReadWriteSometimes", /got "ReadWriteSometimes"/);
  });
});

describe("priority classes named by pods", () => {
  const deployment = (priorityClassName: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      priorityClassName: ${priorityClassName}
      containers: [{name: web}]
`;
  const batchClass = "---\nkind: PriorityClass\nmetadata: {name: batch}\nvalue: 100\n";

  it("a class the scenario does not define is an error at the template's priorityClassName", () => {
    const objects = deployment("critical") + batchClass;
    const e = errorOf(objects);
    expect(e).toMatchObject({ file: "scenarios/objects.yaml", line: lineOf(objects, "priorityClassName"), path: "documents[0].spec.template.spec.priorityClassName" });
    expect(e.message).toBe(
      'no PriorityClass "critical" in this scenario (admission would reject these pods); add a scheduling.k8s.io/v1 PriorityClass; known: batch, system-cluster-critical, system-node-critical',
    );
  });

  it("for a bare Pod the error points at its spec", () => {
    const objects = "kind: Pod\nmetadata: {name: p}\nspec:\n  priorityClassName: nope\n  containers: [{name: c}]\n";
    expect(errorOf(objects)).toMatchObject({ path: "spec.priorityClassName", line: 4 });
  });

  it("a class defined in a later entry or file is fine; so are the system classes", () => {
    const later = loadText(`${header}    - {file: classes.yaml, at: 5m}\n`, { "objects.yaml": deployment("batch"), "classes.yaml": batchClass.slice(4) });
    expect(later.ok).toBe(true);
    expect(planOf(deployment("system-cluster-critical")).workloads).toHaveLength(1);
    expect(planOf(deployment("system-node-critical")).workloads).toHaveLength(1);
  });

  it("only one class may be the global default", () => {
    const objects = "kind: PriorityClass\nmetadata: {name: a}\nvalue: 1\nglobalDefault: true\n---\nkind: PriorityClass\nmetadata: {name: b}\nvalue: 2\nglobalDefault: true\n";
    const e = errorOf(objects);
    expect(e).toMatchObject({ path: "documents[1].globalDefault", line: 9, message: 'only one PriorityClass may be the global default; "a" already is' });
  });
});

describe("policy objects come first among the objects created at the same time", () => {
  const web = (name: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: c}]}\n`;
  const quota = (name: string) => `kind: ResourceQuota\nmetadata: {name: ${name}}\nspec: {hard: {pods: 5}}\n`;

  it("within one file and across entries, keeping file order otherwise", () => {
    const extra = `    - {file: late.yaml, at: 10m}
    - {file: early-quota.yaml}
`;
    const result = loadText(header + extra, {
      "objects.yaml": [web("a"), quota("q1"), web("b"), quota("q2")].join("---\n"),
      "late.yaml": [web("c"), quota("q3")].join("---\n"),
      "early-quota.yaml": quota("q4"),
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.plan.workloads.map((w) => `${w.object.metadata.name}@${w.atMs / 60_000}m`)).toEqual([
      // Positions 0,1,2,3 and 6 belong to time 0: q1, q2, q4 first, then a, b. Positions 4, 5 to 10m: q3, then c.
      "q1@0m", "q2@0m", "q4@0m", "a@0m", "q3@10m", "c@10m", "b@0m",
    ]);
  });

  it("without policy objects the order is exactly the file order", () => {
    const plan = planOf([web("z"), web("a"), web("m")].join("---\n"));
    expect(plan.workloads.map((w) => w.object.metadata.name)).toEqual(["z", "a", "m"]);
  });
});

describe("storage references that cannot work out are warnings", () => {
  const mongo = (claim: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: mongo, namespace: db}
spec:
  selector: {matchLabels: {app: mongo}}
  template:
    metadata: {labels: {app: mongo}}
    spec:
      containers: [{name: mongo}]
      volumes:
        - {name: scratch, emptyDir: {}}
        - {name: data, persistentVolumeClaim: {claimName: ${claim}}}
`;
  const claim = "kind: PersistentVolumeClaim\nmetadata: {name: data, namespace: db}\nspec: {resources: {requests: {storage: 1Gi}}}\n";

  it("a template mounting a claim the scenario does not define", () => {
    expect(planOf(mongo("missing") + "---\n" + claim).warnings).toEqual([
      'Deployment db/mongo mounts PersistentVolumeClaim "missing", which this scenario does not define in db; its pods will stay Pending',
    ]);
    expect(planOf(mongo("data") + "---\n" + claim).warnings).toEqual([]);
  });

  it("a claim naming a volume the scenario does not define", () => {
    const bound = claim.replace("spec: {", "spec: {volumeName: pv-1, ");
    expect(planOf(bound).warnings).toEqual(['PersistentVolumeClaim db/data names PersistentVolume "pv-1", which this scenario does not define; pods that mount the claim will stay Pending']);
    const pv = "kind: PersistentVolume\nmetadata: {name: pv-1}\nspec: {capacity: {storage: 1Gi}, claimRef: {namespace: db, name: data}}\n";
    expect(planOf(`${bound}---\n${pv}`).warnings).toEqual([]);
  });
});
