/**
 * Deployment controller (upstream pkg/controller/deployment, syncDeployment): one ReplicaSet per
 * pod template (named by the template's hash, as upstream's pod-template-hash), each with its
 * revision (deployment-history.ts), rolled out by the Deployment's strategy — RollingUpdate within
 * maxSurge / maxUnavailable (rollout-rolling.ts) or Recreate (old ReplicaSets to zero, wait until
 * their pods are gone, then the new one). A paused Deployment is only scaled (dc.sync): no new
 * ReplicaSet for a new template. After a complete rollout (or while paused) old sets beyond
 * revisionHistoryLimit are deleted. The status carries the Available and Progressing conditions
 * (deployment-status.ts), with a timer for progressDeadlineSeconds. In the one controller pattern
 * (../controller.ts); its state is the terminating pods of old ReplicaSets it waits for, so a
 * Recreate rollout resumes when the last one is removed, as upstream's pod informer handler does.
 * Not modelled yet: proportional scaling of a rollout in progress (dc.scale with several active
 * sets), observedGeneration.
 */
import { canonicalJson } from "../../model/canonical.ts";
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Decision } from "../../model/decision.ts";
import { hashString } from "../../model/hash.ts";
import type { Deployment, DeploymentStatus, ReplicaSet } from "../../model/objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { reconciled, type Controller, type Reconciled } from "../controller.ts";
import { annotationsAtRevision, maxRevision, podTemplateHashLabel, revisionAnnotation, revisionOf, setsBeyondHistory } from "./deployment-history.ts";
import {
  calculateStatus,
  conditionOf,
  deploymentComplete,
  failedReplicaSetCreateReason,
  foundNewReplicaSetReason,
  hasProgressDeadline,
  newCondition,
  newReplicaSetReason,
  rolloutStatus,
  sameDeploymentStatus,
  setCondition,
  applyPausedCondition,
  stuckCheckAfterMs,
} from "./deployment-status.ts";
import { controllerOf, replicaSetsOwnedBy } from "./ownership.ts";
import { ownedPods } from "./replicaset.ts";
import { byCreation, newReplicaSetReplicas, rollingStep, type ScaleTargets } from "./rollout-rolling.ts";

export { podTemplateHashLabel };

export function templateHash(deployment: Deployment): string {
  return hashString(canonicalJson(deployment.spec.template)).slice(0, 10);
}

/** The ReplicaSets a Deployment controls, by name; from the view's owner index when it has one (no scan of every ReplicaSet). */
export function ownedReplicaSets(view: ClusterView, deployment: Deployment): ReplicaSet[] {
  const out: ReplicaSet[] = [];
  for (const rs of replicaSetsOwnedBy(view, deployment.metadata.uid)) {
    if (rs.metadata.namespace !== deployment.metadata.namespace) continue;
    const owner = controllerOf(rs.metadata) as { kind: string; uid?: string } | undefined;
    if (owner?.kind === "Deployment" && owner.uid === deployment.metadata.uid) out.push(rs);
  }
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

export interface DeploymentState {
  /** Terminating pods of a Deployment's ReplicaSets: pod key → deployment key. */
  terminating: Map<string, string>;
  /**
   * When each Deployment's progress-deadline check is due (virtual ms). One timer per Deployment:
   * a sync while one is pending adds none (the deadline only moves later; the check reschedules).
   */
  deadlineChecks: Map<string, Ms>;
}

interface Sync {
  /** The Deployment as this sync sees it: its status already carries the paused / found-new conditions upstream writes first. */
  d: Deployment;
  key: string;
  /** The status as stored, which a write must differ from. */
  written: DeploymentStatus;
  newRS: ReplicaSet | undefined;
  old: ReplicaSet[];
  /** The revision the new set has (or gets): the highest old revision + 1. */
  revision: number;
  decisions: Decision[];
  nowMs: Ms;
}

export interface DeploymentSync {
  decisions: Decision[];
  /** When to sync again to notice the progress deadline passing (requeueStuckDeployment's answer). */
  recheckAfterMs?: Ms;
  /** The deadline itself: the Progressing condition's last update + progressDeadlineSeconds. */
  deadlineAtMs?: Ms;
}

export function reconcileDeployment(view: ClusterView, key: string, nowMs: Ms): DeploymentSync {
  const current = view.deployments.get(key);
  if (!current) return { decisions: [] };
  const owned = ownedReplicaSets(view, current);
  const hash = templateHash(current);
  const newRS = owned.find((rs) => rs.metadata.labels[podTemplateHashLabel] === hash);
  const old = owned.filter((rs) => rs !== newRS);
  // deployment_controller.go syncDeployment: `d.DeletionTimestamp != nil` → syncStatusOnly.
  if (current.metadata.deletionMs !== undefined) return syncStatusOnly(key, current, newRS, old, nowMs);
  const sync: Sync = { d: seenDeployment(current, newRS, nowMs), key, written: current.status, newRS, old, revision: maxRevision(old) + 1, decisions: [], nowMs };
  syncNewRevision(view, sync);
  let status: DeploymentStatus;
  if (sync.d.spec.paused === true) status = syncPaused(view, sync);
  else status = rollout(view, sync);
  return writeStatus(sync, status);
}

/** syncStatusOnly: a Deployment being deleted only has its status recalculated (no scaling, no new set, no revision). */
function syncStatusOnly(key: string, d: Deployment, newRS: ReplicaSet | undefined, old: readonly ReplicaSet[], nowMs: Ms): DeploymentSync {
  const status = calculateStatus([...old, ...(newRS ? [newRS] : [])], newRS, d, nowMs);
  return { decisions: sameDeploymentStatus(status, d.status) ? [] : [statusDecision(key, d, status, undefined)] };
}

/** A status to change without touching the stored one (its conditions list is copied too). */
function statusCopy(status: DeploymentStatus): DeploymentStatus {
  return { ...status, ...(status.conditions !== undefined ? { conditions: [...status.conditions] } : {}) };
}

/** checkPausedConditions and getNewReplicaSet's FoundNewReplicaSet, which upstream writes before the rest of the sync. */
function seenDeployment(d: Deployment, newRS: ReplicaSet | undefined, nowMs: Ms): Deployment {
  const status = statusCopy(d.status);
  applyPausedCondition(d, status, nowMs);
  if (newRS !== undefined && hasProgressDeadline(d) && conditionOf(status, "Progressing") === undefined) {
    setCondition(status, newCondition("Progressing", "True", foundNewReplicaSetReason, `Found new replica set "${newRS.metadata.name}"`, nowMs));
  }
  return { ...d, status };
}

/** SetNewReplicaSetAnnotations: an existing new set (a rollback brings one back) is raised to the newest revision. */
function syncNewRevision(view: ClusterView, sync: Sync): void {
  if (sync.newRS === undefined) return;
  const annotations = annotationsAtRevision(sync.newRS, sync.revision);
  if (annotations === undefined) return;
  const rsKey = keyOf(sync.newRS);
  const version = view.replicaSets.get(rsKey)?.metadata.resourceVersion ?? 0;
  sync.decisions.push({ kind: "AnnotateReplicaSet", id: `rs-revision/${rsKey}/${version}/${sync.revision}`, key: rsKey, annotations, basedOnVersion: version });
}

/** rolloutRolling / rolloutRecreate, then syncRolloutStatus. */
function rollout(view: ClusterView, sync: Sync): DeploymentStatus {
  const { d, newRS, old } = sync;
  const before = sync.decisions.length;
  if (d.spec.strategy.type === "Recreate") recreateStep(view, sync);
  else if (!newRS) sync.decisions.push(createReplicaSet(d, templateHash(d), newReplicaSetReplicas(d, old, 0), sync.revision, sync.nowMs));
  else sync.decisions.push(...scaleDecisions(view, rollingStep(d, newRS, old)));
  const scaled = sync.decisions.slice(before).some((x) => x.kind === "ScaleReplicaSet" || x.kind === "CreateReplicaSet");
  if (!scaled && deploymentComplete(d, d.status)) cleanup(view, sync);
  return rolloutStatus([...old, ...(newRS ? [newRS] : [])], newRS, d, sync.nowMs);
}

/** dc.sync for a paused Deployment: scale the one active (or the latest) set, clean up history, counts and Available only. */
function syncPaused(view: ClusterView, sync: Sync): DeploymentStatus {
  const { d, newRS, old } = sync;
  const target = activeOrLatest(newRS, old);
  if (target !== undefined && target.spec.replicas !== d.spec.replicas) {
    sync.decisions.push(...scaleDecisions(view, new Map([[keyOf(target), d.spec.replicas]])));
  }
  cleanup(view, sync);
  return calculateStatus([...old, ...(newRS ? [newRS] : [])], newRS, d, sync.nowMs);
}

/** FindActiveOrLatest: the only set with replicas, or the newest when none has any; undefined when several have. */
function activeOrLatest(newRS: ReplicaSet | undefined, old: readonly ReplicaSet[]): ReplicaSet | undefined {
  const all = [...old, ...(newRS ? [newRS] : [])];
  const active = all.filter((rs) => rs.spec.replicas > 0);
  if (active.length === 1) return active[0];
  if (active.length > 1) return undefined;
  return newRS ?? [...old].sort(byCreation).at(-1);
}

function cleanup(view: ClusterView, sync: Sync): void {
  for (const rs of setsBeyondHistory(sync.d, sync.old)) {
    const rsKey = keyOf(rs);
    const version = view.replicaSets.get(rsKey)?.metadata.resourceVersion ?? 0;
    sync.decisions.push({ kind: "DeleteReplicaSet", id: `rs-history/${rsKey}/${version}`, key: rsKey, basedOnVersion: version });
  }
}

/** The status write (with the revision annotation when it moved) and the deadline timer. */
function writeStatus(sync: Sync, status: DeploymentStatus): DeploymentSync {
  const current = sync.d;
  const revision = sync.newRS !== undefined ? Math.max(revisionOf(sync.newRS), sync.revision) : undefined;
  const annotations = revision !== undefined ? revisionAnnotations(current, revision) : undefined;
  const decisions = sync.decisions;
  if (annotations !== undefined || !sameDeploymentStatus(status, sync.written)) decisions.push(statusDecision(sync.key, current, status, annotations));
  const written = { ...current, status };
  const recheckAfterMs = stuckCheckAfterMs(written, status, sync.nowMs);
  if (recheckAfterMs === undefined) return { decisions };
  const lastUpdateMs = conditionOf(status, "Progressing")?.lastUpdateMs ?? sync.nowMs;
  return { decisions, recheckAfterMs, deadlineAtMs: lastUpdateMs + (written.spec.progressDeadlineSeconds ?? 0) * 1000 };
}

/** SetDeploymentRevision: the Deployment's own annotation follows its new set's revision; undefined when it already does. */
function revisionAnnotations(d: Deployment, revision: number): Record<string, string> | undefined {
  if (d.metadata.annotations?.[revisionAnnotation] === String(revision)) return undefined;
  return { ...(d.metadata.annotations ?? {}), [revisionAnnotation]: String(revision) };
}

function statusDecision(key: string, d: Deployment, status: DeploymentStatus, annotations: Record<string, string> | undefined): Decision {
  const id = `deploy-status/${key}/${d.metadata.resourceVersion ?? 0}/${hashString(canonicalJson([status, annotations ?? null])).slice(0, 12)}`;
  return { kind: "UpdateDeploymentStatus", id, key, status, ...(annotations !== undefined ? { annotations } : {}) };
}

/** rolloutRecreate: old ReplicaSets to zero; once none of their pods runs, the new one at full scale. */
function recreateStep(view: ClusterView, sync: Sync): void {
  const { d, newRS, old } = sync;
  const active = old.filter((rs) => rs.spec.replicas > 0);
  if (active.length > 0) {
    sync.decisions.push(...scaleDecisions(view, new Map(active.map((rs) => [keyOf(rs), 0]))));
    return;
  }
  if (oldPodsRunning(view, old)) return;
  if (!newRS) sync.decisions.push(createReplicaSet(d, templateHash(d), d.spec.replicas, sync.revision, sync.nowMs));
  else if (newRS.spec.replicas !== d.spec.replicas) sync.decisions.push(...scaleDecisions(view, new Map([[keyOf(newRS), d.spec.replicas]])));
}

/** Upstream oldPodsRunning: a pod of an old ReplicaSet that has not Failed or Succeeded. */
function oldPodsRunning(view: ClusterView, old: readonly ReplicaSet[]): boolean {
  return old.some((rs) => ownedPods(view, rs).some((p) => p.status.phase !== "Failed" && p.status.phase !== "Succeeded"));
}

function scaleDecisions(view: ClusterView, targets: ScaleTargets): Decision[] {
  return [...targets].map(([rsKey, replicas]) => {
    const version = view.replicaSets.get(rsKey)?.metadata.resourceVersion ?? 0;
    return { kind: "ScaleReplicaSet", id: `scale/${rsKey}/${version}/${replicas}`, key: rsKey, replicas } as const;
  });
}

const keyOf = (rs: ReplicaSet) => `${rs.metadata.namespace}/${rs.metadata.name}`;

function createReplicaSet(d: Deployment, hash: string, replicas: number, revision: number, nowMs: Ms): Decision {
  const key = `${d.metadata.namespace}/${d.metadata.name}`;
  return { kind: "CreateReplicaSet", id: `create-rs/${key}-${hash}`, replicaSet: newReplicaSet(d, hash, replicas, revision, nowMs) };
}

function newReplicaSet(d: Deployment, hash: string, replicas: number, revision: number, nowMs: Ms): ReplicaSet {
  const labels = { ...d.spec.template.labels, [podTemplateHashLabel]: hash };
  const template = JSON.parse(JSON.stringify(d.spec.template)) as Deployment["spec"]["template"];
  template.labels = labels;
  const matchLabels = { ...(d.spec.selector.matchLabels ?? {}), [podTemplateHashLabel]: hash };
  return {
    kind: "ReplicaSet",
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      uid: "",
      labels,
      annotations: { [revisionAnnotation]: String(revision) },
      ownerReferences: [{ kind: "Deployment", name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }],
      creationMs: nowMs,
    },
    spec: {
      replicas,
      selector: { ...d.spec.selector, matchLabels },
      template,
      ...(d.spec.minReadySeconds !== undefined ? { minReadySeconds: d.spec.minReadySeconds } : {}),
    },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
  };
}

/**
 * getNewReplicaSet after its create: Progressing NewReplicaSetCreated and the Deployment's revision
 * on success; Progressing=False ReplicaSetCreateError on a refusal (a name taken is a hash
 * collision, not a failure, and is left to the next sync).
 */
function afterCreate(view: ClusterView, decision: Extract<Decision, { kind: "CreateReplicaSet" }>, ok: boolean, reason: string, nowMs: Ms): Decision[] {
  const rs = decision.replicaSet;
  const owner = controllerOf(rs.metadata);
  const key = `${rs.metadata.namespace}/${owner?.name ?? ""}`;
  const d = view.deployments.get(key);
  if (d === undefined || (!ok && reason === "replicaset exists")) return [];
  const status = statusCopy(d.status);
  if (hasProgressDeadline(d)) {
    const condition = ok
      ? newCondition("Progressing", "True", newReplicaSetReason, `Created new replica set "${rs.metadata.name}"`, nowMs)
      : newCondition("Progressing", "False", failedReplicaSetCreateReason, `Failed to create new replica set "${rs.metadata.name}": ${reason}`, nowMs);
    setCondition(status, condition);
  }
  const annotations = ok ? revisionAnnotations(d, revisionOf(rs)) : undefined;
  if (annotations === undefined && sameDeploymentStatus(status, d.status)) return [];
  return [statusDecision(key, d, status, annotations)];
}

function deploymentOfReplicaSet(view: ClusterView, rsKey: string): string | undefined {
  const rs = view.replicaSets.get(rsKey);
  const owner = rs ? controllerOf(rs.metadata) : undefined;
  return rs && owner?.kind === "Deployment" ? `${rs.metadata.namespace}/${owner.name}` : undefined;
}

function deploymentOfPod(view: ClusterView, podKey: string): string | undefined {
  const pod = view.pods.get(podKey);
  const owner = pod ? controllerOf(pod.metadata) : undefined;
  return pod && owner?.kind === "ReplicaSet" ? deploymentOfReplicaSet(view, `${pod.metadata.namespace}/${owner.name}`) : undefined;
}

function observe(view: ClusterView, state: DeploymentState, event: ClusterEvent): string[] {
  switch (event.kind) {
    case "DeploymentCreated":
      return [`${event.deployment.metadata.namespace}/${event.deployment.metadata.name}`];
    case "DeploymentScaled":
    case "DeploymentTemplateChanged":
    case "DeploymentPauseChanged":
      return [event.key];
    case "DeletionStarted":
      return event.objectKind === "Deployment" ? [event.key] : [];
    case "ReplicaSetCreated":
    case "ReplicaSetScaled":
    case "ReplicaSetAnnotated":
    case "ReplicaSetStatusChanged": {
      const key = event.kind === "ReplicaSetCreated" ? `${event.replicaSet.metadata.namespace}/${event.replicaSet.metadata.name}` : event.key;
      const d = deploymentOfReplicaSet(view, key);
      return d ? [d] : [];
    }
    case "PodDeleting": {
      const d = deploymentOfPod(view, event.key);
      if (d && view.deployments.get(d)?.spec.strategy.type === "Recreate") state.terminating.set(event.key, d);
      return [];
    }
    case "PodRemoved": {
      const d = state.terminating.get(event.key);
      state.terminating.delete(event.key);
      return d ? [d] : [];
    }
    default:
      return [];
  }
}

export const deploymentController: Controller<DeploymentState> = {
  name: "deployment",
  initialState: () => ({ terminating: new Map(), deadlineChecks: new Map() }),
  observe: (view, state, event) => ({ state, keys: observe(view, state, event) }),
  reconcile: (view, state, key, nowMs) => synced(state, key, reconcileDeployment(view, key, nowMs), nowMs),
  onResult: (view, state, decision, result, nowMs) =>
    decision.kind === "CreateReplicaSet" ? reconciled(state, afterCreate(view, decision, result.ok, result.reason ?? "", nowMs)) : reconciled(state),
};

/**
 * The sync's decisions and at most one pending deadline check per Deployment. Upstream requeues
 * "now, rate limited" when under a second is left; here the check is set just past the deadline
 * (DeploymentTimedOut compares strictly), so it fires once and finds the rollout timed out.
 */
function synced(state: DeploymentState, key: string, sync: DeploymentSync, nowMs: Ms): Reconciled<DeploymentState> {
  if (sync.recheckAfterMs === undefined) return reconciled(state, sync.decisions);
  const pending = state.deadlineChecks.get(key);
  if (pending !== undefined && pending > nowMs) return reconciled(state, sync.decisions);
  const afterMs = sync.recheckAfterMs === 0 ? (sync.deadlineAtMs ?? nowMs) + 1 - nowMs : sync.recheckAfterMs;
  const delayMs = Math.max(1, afterMs);
  state.deadlineChecks.set(key, nowMs + delayMs);
  return reconciled(state, sync.decisions, [{ key, afterMs: delayMs }]);
}
