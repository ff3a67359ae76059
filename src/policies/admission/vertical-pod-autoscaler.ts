/**
 * The VPA admission controller (upstream vertical-pod-autoscaler/pkg/admission-controller) as a
 * mutating plugin: a new pod whose topmost controller (ReplicaSet → its Deployment) is the target
 * of a VerticalPodAutoscaler not in mode Off gets each recommended container's requests set to the
 * recommendation's target (recommendation_provider.go GetContainersResources), and its limits
 * scaled to keep the original limit-to-request ratio (utils/vpa/limit_and_request_scaling.go
 * getProportionalResourceLimit: integer millicores for CPU, bytes for memory, truncated; an equal
 * limit and request gives limit = the new request; no limit stays no limit). It runs after the
 * in-tree mutating plugins, as a webhook does, so it sees LimitRanger's defaults as the originals.
 * When several VPAs match, the first by name wins (upstream picks the "stronger", by creation).
 */
import type { VerticalPodAutoscaler, VpaContainerRecommendation } from "../../model/autoscaling-objects.ts";
import type { Container, OwnerReference, Pod } from "../../model/objects.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import { controllerOf } from "../controllers/ownership.ts";
import type { AdmissionView, Rejection } from "./types.ts";

/** The pod's topmost well-known controller: a ReplicaSet's owning Deployment, else the direct controller. */
export function parentControllerOf(view: AdmissionView, pod: Pod): OwnerReference | undefined {
  const owner = controllerOf(pod.metadata);
  if (owner?.kind !== "ReplicaSet") return owner;
  const rs = view.replicaSets.get(`${pod.metadata.namespace}/${owner.name}`);
  const deployment = rs !== undefined ? controllerOf(rs.metadata) : undefined;
  return deployment?.kind === "Deployment" ? deployment : owner;
}

export function controllingVpaOf(view: AdmissionView, pod: Pod): VerticalPodAutoscaler | undefined {
  const vpas = storedObjectsOf(view, "VerticalPodAutoscaler");
  if (vpas.size === 0) return undefined;
  const parent = parentControllerOf(view, pod);
  if (parent === undefined) return undefined;
  const matching = [...vpas.values()]
    .filter((v) => v.metadata.namespace === pod.metadata.namespace && v.spec.targetRef.kind === parent.kind && v.spec.targetRef.name === parent.name)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  return matching[0];
}

/** The new limit for one resource, or undefined to leave the container without one. */
export function proportionalLimit(originalLimit: number | undefined, originalRequest: number | undefined, recommendedRequest: number | undefined): number | undefined {
  if (originalLimit === undefined || originalLimit === 0) return undefined;
  if (recommendedRequest === undefined || recommendedRequest === 0) return undefined;
  if (originalRequest === undefined || originalRequest === 0 || originalRequest === originalLimit) return recommendedRequest;
  const scaled = Math.trunc((originalLimit * recommendedRequest) / originalRequest);
  return Number.isSafeInteger(scaled) ? scaled : Number.MAX_SAFE_INTEGER;
}

function applyRecommendation(c: Container, r: VpaContainerRecommendation): void {
  const originalRequests = { ...c.requests };
  for (const resource of ["cpu", "memory"] as const) {
    const target = r.target[resource];
    if (target === undefined) continue;
    c.requests[resource] = target;
    const limit = proportionalLimit(c.limits[resource], originalRequests[resource], target);
    if (limit !== undefined) c.limits[resource] = limit;
  }
}

export function admitVerticalPodAutoscaler(view: AdmissionView, pod: Pod): Rejection | undefined {
  const vpa = controllingVpaOf(view, pod);
  if (vpa === undefined || vpa.spec.updateMode === "Off") return undefined;
  const recommendations = vpa.status.recommendation?.containerRecommendations ?? [];
  for (const c of pod.spec.containers) {
    const r = recommendations.find((x) => x.containerName === c.name);
    if (r !== undefined) applyRecommendation(c, r);
  }
  return undefined;
}
