/**
 * An object as a user would create it: what a recording adds while the object lives — status,
 * uid, resourceVersion, generation, timestamps, managed fields, owner references, the annotations
 * controllers and kubectl write — is left out, so two versions differ only where someone changed
 * the object. A pod's `spec.nodeName` is the scheduler's binding (the twin's nodes have other
 * names, and its own scheduler binds): left out too, and said so by the caller.
 */
import { isJsonObject, type Json, type JsonObject } from "./plain-json.ts";

const keptMeta = ["name", "namespace", "generateName", "labels", "annotations"] as const;

/** Annotations written by controllers or kubectl, not by the object's author. */
const writtenByTools = new Set(["deployment.kubernetes.io/revision", "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas", "kubectl.kubernetes.io/last-applied-configuration"]);

/** A copy: the recording's object is never changed through it. */
export function createdForm(object: JsonObject): JsonObject {
  const { status: _status, metadata, apiVersion, kind, ...rest } = structuredClone(object);
  const out: JsonObject = {};
  if (apiVersion !== undefined) out.apiVersion = apiVersion;
  if (kind !== undefined) out.kind = kind;
  if (isJsonObject(metadata)) out.metadata = keptMetadata(metadata);
  Object.assign(out, rest);
  if (object.kind === "Pod" && isJsonObject(rest.spec) && rest.spec.nodeName !== undefined) {
    const { nodeName: _n, ...spec } = rest.spec;
    out.spec = spec;
  }
  return out;
}

function keptMetadata(meta: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of keptMeta) {
    const v: Json | undefined = meta[k];
    if (v === undefined || v === null) continue;
    if (k === "annotations" && isJsonObject(v)) {
      const kept = Object.fromEntries(Object.entries(v).filter(([a]) => !writtenByTools.has(a)));
      if (Object.keys(kept).length > 0) out.annotations = kept;
      continue;
    }
    out[k] = v;
  }
  return out;
}

/** A controller made it (a ReplicaSet's pod, a Deployment's ReplicaSet, a CronJob's Job): the twin's controllers make their own. */
export function hasControllerOwner(object: JsonObject): boolean {
  const refs = isJsonObject(object.metadata) ? object.metadata.ownerReferences : undefined;
  return Array.isArray(refs) && refs.some((r) => isJsonObject(r) && r.controller === true);
}
