/** Admission as pure functions: each plugin mutates a private copy of the pod or rejects it. */
import type { Pod } from "../../model/objects.ts";
import type { PolicyObjectsView } from "../../model/scheduling-objects.ts";
import type { ClusterView } from "../../model/view.ts";

export type AdmissionView = ClusterView & Partial<PolicyObjectsView>;

export interface Rejection {
  readonly kind: "Rejected";
  /** HTTP status as the API server would answer (403 Forbidden, 404 NotFound…). */
  readonly code: number;
  readonly reason: string;
  readonly message: string;
  readonly plugin: string;
}

export type AdmissionResult = { readonly kind: "Admitted"; readonly pod: Pod } | Rejection;

/** The api server's admission flags (kube-apiserver --default-*-toleration-seconds). */
export interface AdmissionConfig {
  defaultNotReadyTolerationSeconds: number;
  defaultUnreachableTolerationSeconds: number;
}

/** kube-apiserver's defaults: 300 s for both. */
export const defaultAdmissionConfig: AdmissionConfig = { defaultNotReadyTolerationSeconds: 300, defaultUnreachableTolerationSeconds: 300 };

/** A plugin gets the working copy (to mutate) and answers undefined (pass) or a rejection. */
export type AdmissionPlugin = (view: AdmissionView, pod: Pod, nowMs: number, config: AdmissionConfig) => Rejection | undefined;

export function forbidden(plugin: string, pod: Pod, detail: string): Rejection {
  return { kind: "Rejected", code: 403, reason: "Forbidden", message: `pods "${pod.metadata.name}" is forbidden: ${detail}`, plugin };
}
