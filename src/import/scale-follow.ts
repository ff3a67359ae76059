/**
 * How the twin followed the recording's replica changes: for each ScaleWorkload of the imported
 * scenario, the time from the change until as many of the owner's pods ran as were asked for
 * (running: started and not yet ended; before the next change of that owner, or the run's end).
 * The counterpart, for recordings without pod lifecycles, of the lifecycle comparison.
 */
import { durationMsOf } from "../k8s/duration.ts";
import type { Ms } from "../model/units.ts";
import type { FaultDoc } from "./object-changes.ts";
import type { TwinPod } from "./twin-pod-lifecycles.ts";

export interface ScaleStep {
  /** `Deployment dsb/nginx-thrift` */
  owner: string;
  atMs: Ms;
  from: number;
  to: number;
  /** From the change until `to` pods ran; undefined when they never did before the next change. */
  reachedAfterMs: Ms | undefined;
}

export function scaleFollow(faults: readonly FaultDoc[], initialReplicas: ReadonlyMap<string, number>, twin: ReadonlyMap<string, readonly TwinPod[]>, endMs: Ms): ScaleStep[] {
  const keyOf = (f: FaultDoc) => {
    const name = `${String(f.namespace)}/${String(f.name)}`;
    return initialReplicas.has(`ReplicaSet/${name}`) ? `ReplicaSet/${name}` : `Deployment/${name}`;
  };
  const scales = faults.flatMap((f) => (f.type === "ScaleWorkload" ? [{ key: keyOf(f), atMs: durationMsOf(String(f.at)) ?? 0, to: Number(f.replicas) }] : []));
  const steps: ScaleStep[] = [];
  const current = new Map(initialReplicas);
  for (const [i, s] of scales.entries()) {
    const next = scales.slice(i + 1).find((n) => n.key === s.key)?.atMs ?? endMs;
    const pods = twin.get(s.key) ?? [];
    const reached = firstMomentRunning(pods, s.to, s.atMs, next);
    steps.push({ owner: s.key.replace(/^([^/]+)\//, "$1 "), atMs: s.atMs, from: current.get(s.key) ?? 1, to: s.to, reachedAfterMs: reached === undefined ? undefined : reached - s.atMs });
    current.set(s.key, s.to);
  }
  return steps;
}

/** The first moment in [fromMs, untilMs) at which exactly `count` pods run. */
function firstMomentRunning(pods: readonly TwinPod[], count: number, fromMs: Ms, untilMs: Ms): Ms | undefined {
  const changes: { atMs: Ms; delta: number }[] = [];
  for (const p of pods) {
    if (p.startMs === undefined) continue;
    changes.push({ atMs: p.startMs, delta: 1 });
    if (p.endMs !== undefined) changes.push({ atMs: p.endMs, delta: -1 });
  }
  changes.sort((a, b) => a.atMs - b.atMs || a.delta - b.delta);
  let running = 0;
  let i = 0;
  for (; i < changes.length && (changes[i] as { atMs: Ms }).atMs <= fromMs; i++) running += (changes[i] as { delta: number }).delta;
  if (running === count) return fromMs;
  for (; i < changes.length; i++) {
    const c = changes[i] as { atMs: Ms; delta: number };
    if (c.atMs >= untilMs) return undefined;
    running += c.delta;
    // several pods may change at one moment: count once they all have
    if (running === count && (changes[i + 1]?.atMs ?? Infinity) !== c.atMs) return c.atMs;
  }
  return undefined;
}

/** Replicas each Deployment or ReplicaSet of the scenario starts with, by `Deployment/ns/name` (a ReplicaSet under its own kind). */
export function initialReplicasOf(workloads: readonly { manifest?: unknown }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const w of workloads) {
    const m = w.manifest as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown }; spec?: { replicas?: unknown } } | undefined;
    if (m === undefined || (m.kind !== "Deployment" && m.kind !== "ReplicaSet")) continue;
    const replicas = typeof m.spec?.replicas === "number" ? m.spec.replicas : 1;
    out.set(`${m.kind}/${typeof m.metadata?.namespace === "string" ? m.metadata.namespace : "default"}/${String(m.metadata?.name)}`, replicas);
  }
  return out;
}
