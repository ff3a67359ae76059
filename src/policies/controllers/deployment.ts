/**
 * Deployment controller (upstream pkg/controller/deployment): one ReplicaSet per pod template
 * (named by the template's hash, as upstream's pod-template-hash), rolled out by the
 * Deployment's strategy — RollingUpdate within maxSurge / maxUnavailable (rollout-rolling.ts) or
 * Recreate (old ReplicaSets to zero, wait until their pods are gone, then the new one). In the one
 * controller pattern (../controller.ts); its state is the terminating pods of old ReplicaSets it
 * waits for, so a Recreate rollout resumes when the last one is removed, as upstream's pod
 * informer handler does.
 * Not modelled yet: proportional scaling of a rollout in progress (dc.scale), pause, revision
 * history and rollback, progressDeadlineSeconds.
 */
import { canonicalJson } from "../../model/canonical.ts";
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Decision } from "../../model/decision.ts";
import { hashString } from "../../model/hash.ts";
import type { Deployment, ReplicaSet, ReplicaSetStatus } from "../../model/objects.ts";
import type { ClusterView } from "../../model/view.ts";
import { reconciled, type Controller } from "../controller.ts";
import { controllerOf, replicaSetsOwnedBy } from "./ownership.ts";
import { ownedPods, replicaStatusId, sameReplicaStatus } from "./replicaset.ts";
import { newReplicaSetReplicas, rollingStep, type ScaleTargets } from "./rollout-rolling.ts";

export const podTemplateHashLabel = "pod-template-hash";

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

/** Terminating pods of a Deployment's ReplicaSets: pod key → deployment key. */
export interface DeploymentState {
  terminating: Map<string, string>;
}

export function reconcileDeployment(view: ClusterView, key: string, nowMs: number): Decision[] {
  const d = view.deployments.get(key);
  if (!d) return [];
  const hash = templateHash(d);
  const owned = ownedReplicaSets(view, d);
  const newRS = owned.find((rs) => rs.metadata.labels[podTemplateHashLabel] === hash);
  const old = owned.filter((rs) => rs !== newRS);
  const decisions: Decision[] = [];
  if (d.spec.strategy.type === "Recreate") recreateStep(view, d, newRS, old, decisions, nowMs);
  else if (!newRS) decisions.push(createReplicaSet(d, hash, newReplicaSetReplicas(d, old, 0), nowMs));
  else decisions.push(...scaleDecisions(view, rollingStep(d, newRS, old)));
  const status = aggregateStatus(owned);
  if (!sameReplicaStatus(status, d.status)) {
    decisions.push({ kind: "UpdateDeploymentStatus", id: `deploy-status/${key}/${d.metadata.resourceVersion ?? 0}/${replicaStatusId(status)}`, key, status });
  }
  return decisions;
}

/** rolloutRecreate: old ReplicaSets to zero; once none of their pods runs, the new one at full scale. */
function recreateStep(view: ClusterView, d: Deployment, newRS: ReplicaSet | undefined, old: readonly ReplicaSet[], out: Decision[], nowMs: number): void {
  const active = old.filter((rs) => rs.spec.replicas > 0);
  if (active.length > 0) {
    out.push(...scaleDecisions(view, new Map(active.map((rs) => [`${rs.metadata.namespace}/${rs.metadata.name}`, 0]))));
    return;
  }
  if (oldPodsRunning(view, old)) return;
  if (!newRS) out.push(createReplicaSet(d, templateHash(d), d.spec.replicas, nowMs));
  else if (newRS.spec.replicas !== d.spec.replicas) out.push(...scaleDecisions(view, new Map([[`${newRS.metadata.namespace}/${newRS.metadata.name}`, d.spec.replicas]])));
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

function aggregateStatus(owned: ReplicaSet[]): ReplicaSetStatus {
  const s = { replicas: 0, readyReplicas: 0, availableReplicas: 0 };
  for (const rs of owned) {
    s.replicas += rs.status.replicas;
    s.readyReplicas += rs.status.readyReplicas;
    s.availableReplicas += rs.status.availableReplicas;
  }
  return s;
}

function createReplicaSet(d: Deployment, hash: string, replicas: number, nowMs: number): Decision {
  const key = `${d.metadata.namespace}/${d.metadata.name}`;
  return { kind: "CreateReplicaSet", id: `create-rs/${key}-${hash}`, replicaSet: newReplicaSet(d, hash, replicas, nowMs) };
}

function newReplicaSet(d: Deployment, hash: string, replicas: number, nowMs: number): ReplicaSet {
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
      ownerReferences: [{ kind: "Deployment", name: d.metadata.name, uid: d.metadata.uid, controller: true }],
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
      return [event.key];
    case "ReplicaSetCreated":
    case "ReplicaSetScaled":
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
  initialState: () => ({ terminating: new Map() }),
  observe: (view, state, event) => ({ state, keys: observe(view, state, event) }),
  reconcile: (view, state, key, nowMs) => reconciled(state, reconcileDeployment(view, key, nowMs)),
  onResult: (_view, state) => reconciled(state),
};
