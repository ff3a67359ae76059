/** Every kind in the index: generated model objects survive encode then decode, and the index's rules. */
import { fc, test } from "@fast-check/vitest";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { decodeObject } from "../../src/k8s/decode.ts";
import { DeploymentCodec } from "../../src/k8s/deployment.ts";
import { codecsOfKind, decodeKube, encodeKube } from "../../src/k8s/kinds.ts";
import type { KubeObject } from "../../src/k8s/kinds.ts";
import * as arb from "./arbitraries.ts";

function decoded(raw: unknown): KubeObject {
  const r = decodeKube(raw);
  if (Result.isFailure(r)) throw new Error(`${r.failure.path.join(".")}: ${r.failure.message}`);
  if (r.success.outcome !== "object") throw new Error("not modelled");
  return r.success.object;
}

const byKind: Record<KubeObject["kind"], fc.Arbitrary<KubeObject>> = {
  Pod: arb.pod,
  Node: arb.node,
  Namespace: arb.namespace,
  Deployment: arb.deployment,
  ReplicaSet: arb.replicaSet,
  StatefulSet: arb.statefulSet,
  DaemonSet: arb.daemonSet,
  Job: arb.job,
  CronJob: arb.cronJob,
  PriorityClass: arb.priorityClass,
  PodDisruptionBudget: arb.podDisruptionBudget,
  ResourceQuota: arb.resourceQuota,
  LimitRange: arb.limitRange,
  PersistentVolume: arb.persistentVolume,
  PersistentVolumeClaim: arb.persistentVolumeClaim,
  Lease: arb.lease,
  HorizontalPodAutoscaler: arb.horizontalPodAutoscaler,
  VerticalPodAutoscaler: arb.verticalPodAutoscaler,
  Service: arb.service,
  PodMetrics: arb.podMetrics,
};

describe("every kind round-trips", () => {
  for (const [kind, arbitrary] of Object.entries(byKind)) {
    test.prop([arbitrary], { numRuns: 60 })(`${kind}: encode then decode gives the same model object`, (object) => {
      const json = encodeKube(object) as { apiVersion: string; kind: string };
      expect(json.kind).toBe(kind);
      expect(json.apiVersion).toBe(codecsOfKind(kind)[0]?.apiVersion);
      expect(JSON.parse(JSON.stringify(json))).toEqual(json);
      expect(decoded(json)).toEqual(object);
    });
  }
});

describe("the index", () => {
  it("knows each kind once, by its preferred apiVersion", () => {
    expect(Object.keys(byKind).map((k) => codecsOfKind(k).map((c) => `${c.apiVersion}/${c.kind}`)).flat()).toEqual([
      "v1/Pod", "v1/Node", "v1/Namespace", "apps/v1/Deployment", "apps/v1/ReplicaSet", "apps/v1/StatefulSet", "apps/v1/DaemonSet", "batch/v1/Job", "batch/v1/CronJob", "scheduling.k8s.io/v1/PriorityClass",
      "policy/v1/PodDisruptionBudget", "v1/ResourceQuota", "v1/LimitRange", "v1/PersistentVolume", "v1/PersistentVolumeClaim",
      "coordination.k8s.io/v1/Lease", "autoscaling/v2/HorizontalPodAutoscaler", "autoscaling.k8s.io/v1/VerticalPodAutoscaler", "v1/Service", "metrics.k8s.io/v1beta1/PodMetrics",
    ]);
  });

  it("a known kind in a version the twin does not read is an error at apiVersion; without apiVersion the preferred one is read", () => {
    const pdb = { kind: "PodDisruptionBudget", metadata: { name: "p" }, spec: { minAvailable: 1 } };
    expect(decodeKube({ ...pdb, apiVersion: "policy/v1beta1" })).toEqual(
      Result.fail({ path: ["apiVersion"], message: 'expected apiVersion "policy/v1" for a PodDisruptionBudget, got "policy/v1beta1"', pointAt: "value" }),
    );
    expect(decoded(pdb).kind).toBe("PodDisruptionBudget");
    expect(() => encodeKube({ kind: "Lasagne" } as unknown as KubeObject)).toThrow("no codec for kind Lasagne");
  });
});

describe("Deployment strategy, as upstream validates it", () => {
  const deployment = (strategy: unknown) => ({
    metadata: { name: "d" },
    spec: { selector: { matchLabels: { app: "d" } }, template: { metadata: { labels: { app: "d" } }, spec: { containers: [{ name: "c" }] } }, ...(strategy === undefined ? {} : { strategy }) },
  });

  it("defaults to RollingUpdate 25%/25%; Recreate keeps the defaults and encodes without rollingUpdate", () => {
    expect(decodeObject(DeploymentCodec, deployment(undefined))).toMatchObject(Result.succeed({ spec: { replicas: 1, strategy: { type: "RollingUpdate", maxSurge: "25%", maxUnavailable: "25%" } } }));
    const recreate = decodeObject(DeploymentCodec, deployment({ type: "Recreate" }));
    expect(recreate).toMatchObject(Result.succeed({ spec: { strategy: { type: "Recreate", maxSurge: "25%", maxUnavailable: "25%" } } }));
    if (Result.isSuccess(recreate)) expect((encodeKube(recreate.success) as { spec: { strategy: unknown } }).spec.strategy).toEqual({ type: "Recreate" });
  });

  it("refuses rollingUpdate on Recreate, and both limits zero", () => {
    expect(decodeObject(DeploymentCodec, deployment({ type: "Recreate", rollingUpdate: { maxSurge: 1 } }))).toEqual(
      Result.fail({ path: ["spec", "strategy", "rollingUpdate"], message: 'may not be given when "type" is Recreate', pointAt: "key" }),
    );
    expect(decodeObject(DeploymentCodec, deployment({ rollingUpdate: { maxSurge: 0, maxUnavailable: "0%" } }))).toEqual(
      Result.fail({ path: ["spec", "strategy", "rollingUpdate"], message: "maxSurge and maxUnavailable must not both be zero", pointAt: "value" }),
    );
  });
});
