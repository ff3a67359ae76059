/**
 * What a StatefulSet's pods and claims are, as upstream pkg/controller/statefulset/
 * stateful_set_utils.go builds them: newStatefulSetPod (name `<set>-<ordinal>`, the pod-name,
 * pod-index and controller-revision-hash labels, owned by the set), updateStorage (one volume per
 * claim template, named after the template, mounting claim `<template>-<set>-<ordinal>`, replacing
 * a template volume of that name), getPersistentVolumeClaims (claim labels: the template's plus
 * the set's matchLabels) and the revision name ControllerRevisionName(set, hash(template)).
 */
import { canonicalJson } from "../../model/canonical.ts";
import { hashString } from "../../model/hash.ts";
import type { Pod, PodTemplate, PodVolume } from "../../model/objects.ts";
import type { PersistentVolumeClaim } from "../../model/scheduling-objects.ts";
import {
  controllerRevisionHashLabel, ordinalOfPodName, podIndexLabel, statefulSetClaimName, statefulSetPodName, statefulSetPodNameLabel, type StatefulSet,
} from "../../model/stateful-set.ts";
import type { Ms } from "../../model/units.ts";

/** The revision a template is (the controller-revision-hash label value). */
export function revisionOf(set: StatefulSet, template: PodTemplate = set.spec.template): string {
  return `${set.metadata.name}-${hashString(canonicalJson(template)).slice(0, 10)}`;
}

export function podRevision(pod: Pod): string | undefined {
  return pod.metadata.labels[controllerRevisionHashLabel];
}

/** The ordinal of a pod of this set, or -1 (upstream isMemberOf / getOrdinal). */
export function ordinalOf(set: StatefulSet, pod: Pod): number {
  return ordinalOfPodName(set.metadata.name, pod.metadata.name);
}

/** The claims a replica mounts, one per volumeClaimTemplate, as the controller creates them. */
export function claimsFor(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  return set.spec.volumeClaimTemplates.map((t) => ({
    kind: "PersistentVolumeClaim",
    metadata: {
      name: statefulSetClaimName(t.metadata.name, set.metadata.name, ordinal),
      namespace: set.metadata.namespace,
      uid: "",
      labels: { ...t.metadata.labels, ...(set.spec.selector.matchLabels ?? {}) },
      creationMs: 0,
    },
    spec: JSON.parse(JSON.stringify(t.spec)) as PersistentVolumeClaim["spec"],
    status: { phase: "Pending" },
  }));
}

/** Replica `ordinal` of the set from `template` at `revision`. */
export function newStatefulSetPod(set: StatefulSet, template: PodTemplate, revision: string, ordinal: number, nowMs: Ms): Pod {
  const name = statefulSetPodName(set.metadata.name, ordinal);
  const spec = JSON.parse(JSON.stringify(template.spec)) as Pod["spec"];
  const claimVolumes: PodVolume[] = set.spec.volumeClaimTemplates.map((t) => ({
    name: t.metadata.name,
    persistentVolumeClaim: { claimName: statefulSetClaimName(t.metadata.name, set.metadata.name, ordinal) },
  }));
  const templated = new Set(claimVolumes.map((v) => v.name));
  const volumes = [...claimVolumes, ...(spec.volumes ?? []).filter((v) => !templated.has(v.name))];
  if (volumes.length > 0) spec.volumes = volumes;
  return {
    kind: "Pod",
    metadata: {
      name,
      namespace: set.metadata.namespace,
      uid: "",
      labels: { ...template.labels, [statefulSetPodNameLabel]: name, [podIndexLabel]: String(ordinal), [controllerRevisionHashLabel]: revision },
      ...(template.annotations !== undefined ? { annotations: { ...template.annotations } } : {}),
      ownerReferences: [{ kind: "StatefulSet", name: set.metadata.name, uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }],
      creationMs: nowMs,
    },
    spec,
    status: { phase: "Pending", ready: false },
  };
}
