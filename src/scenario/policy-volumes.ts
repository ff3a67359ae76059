/**
 * PersistentVolume and PersistentVolumeClaim (v1) → the model's objects. Quantities in bytes.
 * A PV is cluster-scoped; it reads Bound when it names its claim (claimRef), else Available. A PVC
 * reads Bound when it names its volume (volumeName), else Pending (left to dynamic provisioning).
 * Volume sources (hostPath, csi, …) and volumeMode are not modelled and are ignored.
 */
import { Result } from "effect";
import type { PersistentVolume, PersistentVolumeClaim } from "../model/scheduling-objects.ts";
import { defaultNamespace } from "./namespace.ts";
import { asMutable } from "../k8s/mutable.ts";
import { policyMetaOf } from "./policy-meta.ts";
import { quantitiesOf } from "./policy-quantities.ts";
import type { PersistentVolumeClaimDoc, PersistentVolumeDoc } from "./policy-schema.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

export function persistentVolumeOf(doc: PersistentVolumeDoc, site: Site): Checked<PersistentVolume> {
  return Result.gen(function* () {
    const specSite = siteAt(site, "spec");
    const capacity = yield* quantitiesOf(doc.spec.capacity, siteAt(specSite, "capacity"));
    if (capacity.storage === undefined) return yield* Result.fail(problemAt(siteAt(specSite, "capacity", "storage"), 'missing required field "storage"'));
    const spec: PersistentVolume["spec"] = { capacity };
    if (doc.spec.storageClassName !== undefined) spec.storageClassName = doc.spec.storageClassName;
    if (doc.spec.accessModes !== undefined) spec.accessModes = [...doc.spec.accessModes];
    if (doc.spec.nodeAffinity !== undefined) spec.nodeAffinity = asMutable(doc.spec.nodeAffinity);
    const claim = doc.spec.claimRef;
    if (claim !== undefined) spec.claimRef = { namespace: claim.namespace || defaultNamespace, name: claim.name };
    const phase = claim === undefined ? "Available" : "Bound";
    return { kind: "PersistentVolume", metadata: policyMetaOf(doc.metadata, ""), spec, status: { phase } } as const;
  });
}

export function persistentVolumeClaimOf(doc: PersistentVolumeClaimDoc, site: Site, namespace: string): Checked<PersistentVolumeClaim> {
  return Result.gen(function* () {
    const requestsSite = siteAt(site, "spec", "resources", "requests");
    const requests = yield* quantitiesOf(doc.spec.resources.requests, requestsSite);
    if (requests.storage === undefined) return yield* Result.fail(problemAt(siteAt(requestsSite, "storage"), 'missing required field "storage"'));
    const spec: PersistentVolumeClaim["spec"] = { resources: { requests } };
    if (doc.spec.storageClassName !== undefined) spec.storageClassName = doc.spec.storageClassName;
    if (doc.spec.accessModes !== undefined) spec.accessModes = [...doc.spec.accessModes];
    if (doc.spec.volumeName) spec.volumeName = doc.spec.volumeName;
    const phase = spec.volumeName === undefined ? "Pending" : "Bound";
    return { kind: "PersistentVolumeClaim", metadata: policyMetaOf(doc.metadata, namespace), spec, status: { phase } } as const;
  });
}
