/**
 * The revision history a scenario's rollouts will give a Deployment, followed while the faults
 * are read in time order, so that a Rollout after a RolloutUndo patches the template the undo
 * restored and an undo that can never succeed is refused when the scenario loads. Revisions are
 * numbered as the Deployment controller numbers them (deployment-history.ts: a template seen
 * before gets the newest revision again); the undo itself is resolved against the live cluster
 * when it happens, as kubectl does.
 */
import { canonicalJson } from "../model/canonical.ts";
import type { PodTemplate } from "../model/objects.ts";

export interface PlannedHistory {
  /** Distinct templates with their revisions, in no particular order. */
  revisions: { template: PodTemplate; revision: number }[];
  paused: boolean;
}

export function plannedHistory(initial: PodTemplate): PlannedHistory {
  return { revisions: [{ template: initial, revision: 1 }], paused: false };
}

/** A template change: a template seen before becomes the newest revision, a new one gets the next. */
export function recordTemplate(history: PlannedHistory, template: PodTemplate): void {
  const newest = Math.max(...history.revisions.map((r) => r.revision));
  const text = canonicalJson(template);
  const seen = history.revisions.find((r) => canonicalJson(r.template) === text);
  if (seen === undefined) history.revisions.push({ template, revision: newest + 1 });
  else if (seen.revision !== newest) seen.revision = newest + 1;
}

/** The template `kubectl rollout undo --to-revision` would restore, or why it could never succeed. */
export function plannedUndo(history: PlannedHistory, toRevision: number): { template: PodTemplate } | { problem: string } {
  if (history.paused) return { problem: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again (a RolloutResume before it)" };
  const byRevision = [...history.revisions].sort((a, b) => b.revision - a.revision);
  const target = toRevision > 0 ? byRevision.find((r) => r.revision === toRevision) : byRevision[1];
  if (target === undefined) {
    const known = byRevision.map((r) => r.revision).join(", ");
    return { problem: toRevision > 0 ? `unable to find specified revision ${toRevision} in history (the rollouts before it make revisions ${known})` : "no rollout history to undo: no Rollout of this Deployment comes before it" };
  }
  return { template: target.template };
}
