/**
 * apps/v1 StatefulSet, as the StatefulSet controller reads it: stable pod names
 * `<set>-<ordinal>`, one PersistentVolumeClaim per replica and claim template named
 * `<template>-<set>-<ordinal>`, pod management OrderedReady or Parallel, and updates by
 * RollingUpdate (with partition) or OnDelete. Defaults as upstream SetDefaults_StatefulSet. Lives
 * in the generic object store (stored-objects.ts).
 */
import type { LabelSelector, ObjectMeta, PodTemplate } from "./objects.ts";
import type { PersistentVolumeClaim } from "./scheduling-objects.ts";

export type PodManagementPolicy = "OrderedReady" | "Parallel";
export type PvcRetention = "Retain" | "Delete";

/** A volumeClaimTemplate: the claim every replica gets (name and labels from its metadata). */
export interface VolumeClaimTemplate {
  metadata: { name: string; labels: Record<string, string> };
  spec: Omit<PersistentVolumeClaim["spec"], "volumeName">;
}

export interface StatefulSetUpdateStrategy {
  type: "RollingUpdate" | "OnDelete";
  /** RollingUpdate: only pods with ordinal ≥ partition are updated (default 0). */
  partition: number;
}

export interface StatefulSetStatus {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  /** Pods at currentRevision / at updateRevision (upstream's counts; a pod at both counts in both). */
  currentReplicas: number;
  updatedReplicas: number;
  currentRevision?: string;
  updateRevision?: string;
}

export interface StatefulSet {
  kind: "StatefulSet";
  metadata: ObjectMeta;
  spec: {
    replicas: number;
    selector: LabelSelector;
    template: PodTemplate;
    serviceName?: string;
    podManagementPolicy: PodManagementPolicy;
    updateStrategy: StatefulSetUpdateStrategy;
    volumeClaimTemplates: VolumeClaimTemplate[];
    persistentVolumeClaimRetentionPolicy: { whenDeleted: PvcRetention; whenScaled: PvcRetention };
    minReadySeconds?: number;
  };
  status: StatefulSetStatus;
}

/** Labels upstream's StatefulSet controller puts on every pod (apps/v1 StatefulSetPodNameLabel, PodIndexLabel, StatefulSetRevisionLabel). */
export const statefulSetPodNameLabel = "statefulset.kubernetes.io/pod-name";
export const podIndexLabel = "apps.kubernetes.io/pod-index";
export const controllerRevisionHashLabel = "controller-revision-hash";

/** upstream getPodName. */
export function statefulSetPodName(setName: string, ordinal: number): string {
  return `${setName}-${ordinal}`;
}

/** upstream getPersistentVolumeClaimName. */
export function statefulSetClaimName(templateName: string, setName: string, ordinal: number): string {
  return `${templateName}-${setName}-${ordinal}`;
}

/** upstream getParentNameAndOrdinal: the ordinal of `<set>-<n>`, or -1 when the name is not one. */
export function ordinalOfPodName(setName: string, podName: string): number {
  const prefix = `${setName}-`;
  if (!podName.startsWith(prefix)) return -1;
  const rest = podName.slice(prefix.length);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : -1;
}
