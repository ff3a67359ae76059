/**
 * Deployment controller: one ReplicaSet per pod template (named by the template's hash, as
 * upstream's pod-template-hash), scaled to the Deployment's replicas; older ReplicaSets are scaled
 * to zero once the new one is fully available (a simplified rolling update: maxSurge and
 * maxUnavailable are not yet honoured step by step). In the one controller pattern (../controller.ts);
 * it remembers nothing, so its state is empty.
 */
import { canonicalJson } from "../../model/canonical.ts";
import type { Decision } from "../../model/decision.ts";
import type { Deployment, ReplicaSet, ReplicaSetStatus } from "../../model/objects.ts";
import { hashString } from "../../model/hash.ts";
import type { ClusterView } from "../../model/view.ts";
import { controllerOf } from "./ownership.ts";
import { replicaStatusId, sameReplicaStatus } from "./replicaset.ts";
import type { ClusterEvent } from "../../model/cluster-event.ts";
import { reconciled, type Controller } from "../controller.ts";

export const podTemplateHashLabel = "pod-template-hash";

export function templateHash(deployment: Deployment): string {
  return hashString(canonicalJson(deployment.spec.template)).slice(0, 10);
}

export function ownedReplicaSets(view: ClusterView, deployment: Deployment): ReplicaSet[] {
  const out: ReplicaSet[] = [];
  for (const rs of view.replicaSets.values()) {
    if (rs.metadata.namespace !== deployment.metadata.namespace) continue;
    const owner = controllerOf(rs.metadata) as { kind: string; uid?: string } | undefined;
    if (owner?.kind === "Deployment" && owner.uid === deployment.metadata.uid) out.push(rs);
  }
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

export function reconcileDeployment(view: ClusterView, key: string, nowMs: number): Decision[] {
  const d = view.deployments.get(key);
  if (!d) return [];
  const hash = templateHash(d);
  const owned = ownedReplicaSets(view, d);
  const current = owned.find((rs) => rs.metadata.labels[podTemplateHashLabel] === hash);
  const decisions: Decision[] = [];
  if (!current) {
    decisions.push({ kind: "CreateReplicaSet", id: `create-rs/${key}-${hash}`, replicaSet: newReplicaSet(d, hash, nowMs) });
    return decisions;
  }
  const rsKey = `${current.metadata.namespace}/${current.metadata.name}`;
  if (current.spec.replicas !== d.spec.replicas) {
    decisions.push({ kind: "ScaleReplicaSet", id: `scale/${rsKey}/${current.metadata.resourceVersion ?? 0}/${d.spec.replicas}`, key: rsKey, replicas: d.spec.replicas });
  }
  const newAvailable = current.status.availableReplicas >= d.spec.replicas;
  for (const old of owned) {
    if (old === current || old.spec.replicas === 0 || !newAvailable) continue;
    const oldKey = `${old.metadata.namespace}/${old.metadata.name}`;
    decisions.push({ kind: "ScaleReplicaSet", id: `scale/${oldKey}/${old.metadata.resourceVersion ?? 0}/0`, key: oldKey, replicas: 0 });
  }
  const status = aggregateStatus(owned);
  if (!sameReplicaStatus(status, d.status)) {
    decisions.push({ kind: "UpdateDeploymentStatus", id: `deploy-status/${key}/${d.metadata.resourceVersion ?? 0}/${replicaStatusId(status)}`, key, status });
  }
  return decisions;
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

function newReplicaSet(d: Deployment, hash: string, nowMs: number): ReplicaSet {
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
      replicas: d.spec.replicas,
      selector: { ...d.spec.selector, matchLabels },
      template,
      ...(d.spec.minReadySeconds !== undefined ? { minReadySeconds: d.spec.minReadySeconds } : {}),
    },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
  };
}

function deploymentKeysFor(view: ClusterView, event: ClusterEvent): string[] {
  switch (event.kind) {
    case "DeploymentCreated":
      return [`${event.deployment.metadata.namespace}/${event.deployment.metadata.name}`];
    case "DeploymentScaled":
      return [event.key];
    case "ReplicaSetCreated":
    case "ReplicaSetScaled":
    case "ReplicaSetStatusChanged": {
      const key = event.kind === "ReplicaSetCreated" ? `${event.replicaSet.metadata.namespace}/${event.replicaSet.metadata.name}` : event.key;
      const rs = view.replicaSets.get(key);
      const owner = rs ? controllerOf(rs.metadata) : undefined;
      return rs && owner?.kind === "Deployment" ? [`${rs.metadata.namespace}/${owner.name}`] : [];
    }
    default:
      return [];
  }
}

export const deploymentController: Controller<Record<string, never>> = {
  name: "deployment",
  initialState: () => ({}),
  observe: (view, state, event) => ({ state, keys: deploymentKeysFor(view, event) }),
  reconcile: (view, state, key, nowMs) => reconciled(state, reconcileDeployment(view, key, nowMs)),
  onResult: (_view, state) => reconciled(state),
};
