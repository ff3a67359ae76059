/**
 * One policy object manifest (PriorityClass, PodDisruptionBudget, ResourceQuota, LimitRange,
 * PersistentVolume, PersistentVolumeClaim) → the model's PolicyObject; undefined for other kinds.
 */
import { Result } from "effect";
import type { PolicyObject, PolicyObjectKind } from "../model/scheduling-objects.ts";
import { podDisruptionBudgetOf } from "./policy-disruption-budget.ts";
import { limitRangeOf } from "./policy-limit-range.ts";
import { priorityClassOf } from "./policy-priority-class.ts";
import { resourceQuotaOf } from "./policy-resource-quota.ts";
import {
  LimitRangeSchema, PersistentVolumeClaimSchema, PersistentVolumeSchema, PodDisruptionBudgetSchema, PriorityClassSchema, ResourceQuotaSchema,
} from "./policy-schema.ts";
import { persistentVolumeClaimOf, persistentVolumeOf } from "./policy-volumes.ts";
import { decodeAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

const policyKinds: ReadonlySet<string> = new Set<PolicyObjectKind>([
  "PriorityClass", "PodDisruptionBudget", "ResourceQuota", "LimitRange", "PersistentVolume", "PersistentVolumeClaim",
]);

export function isPolicyKind(kind: string): kind is PolicyObjectKind {
  return policyKinds.has(kind);
}

/** `namespace` is the one resolved for the entry; cluster-scoped kinds ignore it. */
export function policyObjectOf(kind: PolicyObjectKind, value: unknown, site: Site, namespace: string): Checked<PolicyObject> {
  return Result.gen(function* () {
    switch (kind) {
      case "PriorityClass":
        return yield* priorityClassOf(yield* decodeAt(PriorityClassSchema, value, site, false), site);
      case "PodDisruptionBudget":
        return yield* podDisruptionBudgetOf(yield* decodeAt(PodDisruptionBudgetSchema, value, site, false), site, namespace);
      case "ResourceQuota":
        return yield* resourceQuotaOf(yield* decodeAt(ResourceQuotaSchema, value, site, false), site, namespace);
      case "LimitRange":
        return yield* limitRangeOf(yield* decodeAt(LimitRangeSchema, value, site, false), site, namespace);
      case "PersistentVolume":
        return yield* persistentVolumeOf(yield* decodeAt(PersistentVolumeSchema, value, site, false), site);
      case "PersistentVolumeClaim":
        return yield* persistentVolumeClaimOf(yield* decodeAt(PersistentVolumeClaimSchema, value, site, false), site, namespace);
    }
  });
}
