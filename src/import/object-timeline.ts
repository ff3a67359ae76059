/**
 * What every importer produces: the exogenous object changes of a recording, in time order, on
 * the twin's clock (ms from the scenario's zero). SimKube traces hold whole objects; KWOK
 * recordings hold patches, applied by the importer so that each change carries the whole object.
 */
import { codecsOfKind } from "../k8s/kinds.ts";
import type { Segment } from "../scenario/error.ts";
import type { Ms } from "../model/units.ts";
import { isJsonObject, type JsonObject } from "./plain-json.ts";

export interface ObjectChange {
  atMs: Ms;
  op: "apply" | "delete";
  /** The object after the change (a delete: as last seen). */
  object: JsonObject;
  /** Where in the input, for messages: `events[3].applied_objs[0]`. */
  source: Segment[];
}

export interface ObjectRef {
  kind: string;
  /** "" for cluster-scoped kinds. */
  namespace: string;
  name: string;
}

/** Kind, namespace ("default" when a namespaced object leaves it out) and name; undefined when the object has no kind or name. */
export function objectRefOf(object: JsonObject): ObjectRef | undefined {
  const kind = object.kind;
  const meta = object.metadata;
  if (typeof kind !== "string" || kind === "" || !isJsonObject(meta) || typeof meta.name !== "string" || meta.name === "") return undefined;
  const namespaced = codecsOfKind(kind)[0]?.namespaced ?? meta.namespace !== undefined;
  const namespace = namespaced ? (typeof meta.namespace === "string" && meta.namespace !== "" ? meta.namespace : "default") : "";
  return { kind, namespace, name: meta.name };
}

export function refKey(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

export function refText(ref: ObjectRef): string {
  return ref.namespace === "" ? `${ref.kind} ${ref.name}` : `${ref.kind} ${ref.namespace}/${ref.name}`;
}
