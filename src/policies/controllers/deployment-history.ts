/**
 * A Deployment's revision history: each ReplicaSet carries its revision in the
 * `deployment.kubernetes.io/revision` annotation (upstream util.Revision / MaxRevision /
 * SetNewReplicaSetAnnotations: the new set gets the highest old revision + 1, so a set brought
 * back by a rollback becomes the newest revision); cleanupDeployment keeps at most
 * revisionHistoryLimit old sets, deleting the lowest revisions that are scaled to zero; and
 * kubectl's `rollout undo` (kubectl/pkg/polymorphichelpers/rollback.go, deploymentRevision)
 * picks the set of a revision, 0 meaning the one before the latest.
 */
import type { Deployment, PodTemplate, ReplicaSet } from "../../model/objects.ts";
import { canonicalJson } from "../../model/canonical.ts";
import { byCreation } from "./rollout-rolling.ts";

export const revisionAnnotation = "deployment.kubernetes.io/revision";
export const podTemplateHashLabel = "pod-template-hash";

/** The set's revision; 0 when it has none (or an unreadable one, as upstream's MaxRevision skips it). */
export function revisionOf(rs: { metadata: { annotations?: Record<string, string> } }): number {
  const text = rs.metadata.annotations?.[revisionAnnotation];
  if (text === undefined || !/^\d{1,15}$/.test(text)) return 0;
  return Number(text);
}

export function maxRevision(sets: readonly ReplicaSet[]): number {
  return sets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** The annotations a set should carry to be at `revision` (undefined when it already is: upstream only raises a revision). */
export function annotationsAtRevision(rs: ReplicaSet, revision: number): Record<string, string> | undefined {
  if (revisionOf(rs) >= revision) return undefined;
  return { ...(rs.metadata.annotations ?? {}), [revisionAnnotation]: String(revision) };
}

/** ReplicaSetsByRevision: lowest revision first, then by creation. */
function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  return revisionOf(a) - revisionOf(b) || byCreation(a, b);
}

/** cleanupDeployment: the old sets to delete so that at most revisionHistoryLimit remain; only those with no replicas at all. */
export function setsBeyondHistory(d: Deployment, old: readonly ReplicaSet[]): ReplicaSet[] {
  const limit = d.spec.revisionHistoryLimit;
  if (limit === undefined) return [];
  const alive = old.filter((rs) => rs.metadata.deletionMs === undefined);
  const excess = alive.length - limit;
  if (excess <= 0) return [];
  return [...alive]
    .sort(byRevision)
    .slice(0, excess)
    .filter((rs) => rs.spec.replicas === 0 && rs.status.replicas === 0);
}

/** The template without the pod-template-hash label, as kubectl compares and restores it. */
export function templateWithoutHash(template: PodTemplate): PodTemplate {
  const copy = JSON.parse(JSON.stringify(template)) as PodTemplate;
  delete copy.labels[podTemplateHashLabel];
  return copy;
}

export function sameTemplateIgnoringHash(a: PodTemplate, b: PodTemplate): boolean {
  return canonicalJson(templateWithoutHash(a)) === canonicalJson(templateWithoutHash(b));
}

export type RollbackChoice = { outcome: "rollback"; template: PodTemplate; revision: number } | { outcome: "refused"; message: string };

/**
 * What `kubectl rollout undo deployment/<name> [--to-revision=N]` does to the Deployment, with
 * kubectl's messages for the cases where it changes nothing.
 */
export function rollbackChoice(d: Deployment, sets: readonly ReplicaSet[], toRevision: number): RollbackChoice {
  if (d.spec.paused === true) {
    return { outcome: "refused", message: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again" };
  }
  const chosen = toRevision > 0 ? sets.find((rs) => revisionOf(rs) === toRevision) : previousRevision(sets);
  if (chosen === undefined) {
    return { outcome: "refused", message: toRevision > 0 ? `unable to find specified revision ${toRevision} in history` : `no rollout history found for deployment "${d.metadata.name}"` };
  }
  const revision = revisionOf(chosen);
  if (sameTemplateIgnoringHash(chosen.spec.template, d.spec.template)) {
    return { outcome: "refused", message: `skipped rollback (current template already matches revision ${revision})` };
  }
  return { outcome: "rollback", template: templateWithoutHash(chosen.spec.template), revision };
}

/** deploymentRevision with toRevision 0: the set of the second-highest revision. */
function previousRevision(sets: readonly ReplicaSet[]): ReplicaSet | undefined {
  let latest: ReplicaSet | undefined;
  let previous: ReplicaSet | undefined;
  for (const rs of sets) {
    const v = revisionOf(rs);
    if (v === 0) continue;
    if (latest === undefined || v > revisionOf(latest)) {
      previous = latest;
      latest = rs;
    } else if (previous === undefined || v > revisionOf(previous)) {
      previous = rs;
    }
  }
  return previous;
}
