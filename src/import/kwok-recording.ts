/**
 * A KWOK recording (`kwokctl snapshot record`, `kwokctl snapshot export --record`; kwok
 * pkg/kwokctl/snapshot/save.go and pkg/kwokctl/recording/api.go) → a timeline. The file is a YAML
 * stream: first the snapshot, every object as it was listed (time zero), then one
 * `action.kwok.x-k8s.io/v1alpha1` `ResourcePatch` per watch event, in time order:
 *   resource: {group, version, resource}   target: {name, namespace}
 *   durationNanosecond: since the recording started
 *   method: create (template: the object) | patch (template: a strategic merge patch, made by
 *     strategicpatch.CreateTwoWayMergePatch against the previous version) | delete
 * Patches are applied here (src/scenario/patches.ts), so each change carries the whole object;
 * `$setElementOrder` directives only order lists and are dropped; `$retainKeys` and
 * `$deleteFromPrimitiveList` are dropped too, with a warning (the rest merges as a plain patch). Snapshot Nodes are
 * kept apart: they become the cluster (kwok-nodes.ts).
 */
import type { Ms } from "../model/units.ts";
import type { Segment } from "../scenario/error.ts";
import { strategicPatch } from "../scenario/patches.ts";
import type { SourceDoc } from "../scenario/yaml-source.ts";
import { objectRefOf, type ObjectChange } from "./object-timeline.ts";
import { isJsonObject, type Json, type JsonObject } from "./plain-json.ts";

export const resourcePatchApiVersion = "action.kwok.x-k8s.io/v1alpha1";

export interface KwokTimeline {
  changes: ObjectChange[];
  /** Nodes of the snapshot. */
  nodes: JsonObject[];
  /** Node changes after the snapshot (heartbeats, joins, leaves). */
  nodeChanges: { created: number; deleted: number; patched: number };
  warnings: string[];
  lastMs: Ms;
}

export interface KwokProblem {
  doc: SourceDoc;
  path: Segment[];
  message: string;
}

export type KwokRead = { ok: true; value: KwokTimeline } | { ok: false; problem: KwokProblem };

const methods = ["create", "patch", "delete"] as const;
const nsPerMs = 1_000_000;

/** upstream meta.UnsafeGuessKindToResource: the REST resource a kind is served as. */
export function resourceOfKind(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === "endpoints") return lower;
  if (lower.endsWith("s")) return `${lower}es`;
  if (lower.endsWith("y")) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function groupOf(apiVersion: Json | undefined): string {
  return typeof apiVersion === "string" && apiVersion.includes("/") ? (apiVersion.split("/")[0] as string) : "";
}

function trackKey(group: string, resource: string, namespace: string, name: string): string {
  return `${group}/${resource}/${namespace}/${name}`;
}

export function kwokTimeline(docs: readonly SourceDoc[]): KwokRead {
  const out: KwokTimeline = { changes: [], nodes: [], nodeChanges: { created: 0, deleted: 0, patched: 0 }, warnings: [], lastMs: 0 };
  const tracked = new Map<string, JsonObject>();
  let patches = false;
  for (const [i, doc] of docs.entries()) {
    const value = doc.value as Json;
    const fail = (path: Segment[], message: string): KwokRead => ({ ok: false, problem: { doc, path, message } });
    if (!isJsonObject(value) || typeof value.kind !== "string") return fail([], "expected a Kubernetes object or a ResourcePatch (a mapping with kind)");
    if (value.kind === "ResourcePatch" && value.apiVersion === resourcePatchApiVersion) {
      patches = true;
      const r = applyPatch(value, i, tracked, out);
      if (r !== undefined) return fail(r.path, r.message);
      continue;
    }
    if (patches) return fail(["kind"], `expected a ${resourcePatchApiVersion} ResourcePatch: the snapshot's objects come before the first patch`);
    const ref = objectRefOf(value);
    if (ref === undefined) return fail(["metadata", "name"], "expected an object with metadata.name");
    tracked.set(trackKey(groupOf(value.apiVersion), resourceOfKind(ref.kind), ref.namespace, ref.name), value);
    if (ref.kind === "Node") out.nodes.push(value);
    else out.changes.push({ atMs: 0, op: "apply", object: value, source: ["documents", i] });
  }
  return { ok: true, value: out };
}

function applyPatch(p: JsonObject, i: number, tracked: Map<string, JsonObject>, out: KwokTimeline): { path: Segment[]; message: string } | undefined {
  const resource = p.resource;
  if (!isJsonObject(resource) || typeof resource.resource !== "string" || resource.resource === "") return { path: ["resource", "resource"], message: "expected the patched resource {group, version, resource}" };
  const target = p.target;
  if (!isJsonObject(target) || typeof target.name !== "string" || target.name === "") return { path: ["target", "name"], message: "expected the patched object's name" };
  const duration = p.durationNanosecond;
  if (typeof duration !== "number" || !Number.isSafeInteger(duration) || duration < 0) return { path: ["durationNanosecond"], message: `expected the nanoseconds since the recording started (an integer ≥ 0), got ${JSON.stringify(duration)}` };
  const method = p.method;
  if (typeof method !== "string" || !(methods as readonly string[]).includes(method)) return { path: ["method"], message: `expected one of ${methods.join(", ")}, got ${JSON.stringify(method)}` };
  const atMs = Math.round(duration / nsPerMs);
  if (atMs < out.lastMs) return { path: ["durationNanosecond"], message: `expected patches in time order, got ${atMs} ms after ${out.lastMs} ms` };
  out.lastMs = atMs;
  const group = typeof resource.group === "string" ? resource.group : "";
  const namespace = typeof target.namespace === "string" ? target.namespace : "";
  const key = trackKey(group, resource.resource, namespace === "" && resource.resource !== "nodes" && resource.resource !== "namespaces" ? "default" : namespace, target.name);
  const keyAsIs = trackKey(group, resource.resource, namespace, target.name);
  const before = tracked.get(keyAsIs) ?? tracked.get(key);
  const source: Segment[] = ["documents", i];
  const where = `document ${i} (${method} ${resource.resource} ${namespace === "" ? "" : `${namespace}/`}${target.name})`;
  const isNode = resource.resource === "nodes" && group === "";
  if (method === "delete") {
    tracked.delete(keyAsIs);
    tracked.delete(key);
    if (isNode) out.nodeChanges.deleted++;
    else if (before !== undefined) out.changes.push({ atMs, op: "delete", object: before, source });
    else out.warnings.push(`${where}: deletes an object the recording never showed: not replayed`);
    return undefined;
  }
  const template = p.template;
  if (!isJsonObject(template)) return { path: ["template"], message: `expected the ${method === "create" ? "object" : "strategic merge patch"} (a mapping)` };
  let after: JsonObject;
  if (method === "create" || before === undefined) {
    if (method === "patch") out.warnings.push(`${where}: patches an object the recording never showed; the patch is taken as the whole object`);
    after = template;
  } else {
    const directives = unsupportedDirectives(template);
    if (directives.length > 0) out.warnings.push(`${where}: patch directives ${directives.join(", ")} not applied (the rest of the patch is)`);
    after = strategicPatch(before, withoutListDirectives(template)) as JsonObject;
  }
  if (!isJsonObject(after) || typeof after.kind !== "string") return { path: ["template"], message: "expected the patched object to have a kind" };
  tracked.set(keyAsIs, after);
  if (isNode) {
    if (before === undefined) out.nodeChanges.created++;
    else out.nodeChanges.patched++;
    return undefined;
  }
  out.changes.push({ atMs, op: "apply", object: after, source });
  return undefined;
}

/** The patch without the list directives patches.ts does not know (`$patch` it does). */
function withoutListDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(withoutListDirectives);
  if (!isJsonObject(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith("$") || k === "$patch").map(([k, x]) => [k, withoutListDirectives(x)]));
}

function unsupportedDirectives(v: Json, found: Set<string> = new Set()): string[] {
  if (Array.isArray(v)) for (const x of v) unsupportedDirectives(x, found);
  else if (isJsonObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (k === "$retainKeys" || k.startsWith("$deleteFromPrimitiveList/")) found.add(k.split("/")[0] as string);
      unsupportedDirectives(x, found);
    }
  }
  return [...found].sort();
}
