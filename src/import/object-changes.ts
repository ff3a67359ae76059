/**
 * A later apply of an object the scenario already has → the faults that make the same change in
 * the twin, and a warning for every changed field no fault expresses:
 *   spec.replicas of a Deployment or ReplicaSet → ScaleWorkload;
 *   spec.template of a Deployment or DaemonSet → Rollout with a strategic patch that replaces the
 *     template (`$patch: replace`), when the codec reads the two templates differently;
 *   spec.paused of a Deployment → RolloutPause / RolloutResume.
 * Both versions are in their created form (created-form.ts), so status and bookkeeping never count.
 */
import { Result } from "effect";
import { decodeKube } from "../k8s/kinds.ts";
import { canonicalJson } from "../model/canonical.ts";
import { formatDurationMs, type Ms } from "../model/units.ts";
import { formatPath, type Segment } from "../scenario/error.ts";
import { changedPaths, startsWith } from "./json-diff.ts";
import type { ObjectRef } from "./object-timeline.ts";
import { refText } from "./object-timeline.ts";
import { isJsonObject, type JsonObject } from "./plain-json.ts";

export type FaultDoc = Record<string, unknown>;

export interface ChangeOutcome {
  faults: FaultDoc[];
  warnings: string[];
}

const scalable = new Set(["Deployment", "ReplicaSet"]);
const rollable = new Set(["Deployment", "DaemonSet"]);
const pathsShownMax = 6;

export function changeOf(ref: ObjectRef, before: JsonObject, after: JsonObject, atMs: Ms, source: string): ChangeOutcome {
  const paths = changedPaths(before, after);
  const out: ChangeOutcome = { faults: [], warnings: [] };
  if (paths.length === 0) return out;
  const at = formatDurationMs(atMs);
  const target = { at, namespace: ref.namespace, name: ref.name };
  const unexpressed: Segment[][] = [];
  const template = paths.filter((p) => startsWith(p, ["spec", "template"]));
  for (const p of paths) {
    if (scalable.has(ref.kind) && startsWith(p, ["spec", "replicas"])) out.faults.push({ type: "ScaleWorkload", ...target, replicas: replicasOf(after) });
    else if (ref.kind === "Deployment" && startsWith(p, ["spec", "paused"])) out.faults.push({ type: isJsonObject(after.spec) && after.spec.paused === true ? "RolloutPause" : "RolloutResume", ...target });
    else if (!(rollable.has(ref.kind) && startsWith(p, ["spec", "template"]))) unexpressed.push(p);
  }
  if (template.length > 0 && rollable.has(ref.kind)) {
    const read = [templateOf(before), templateOf(after)] as const;
    const refused = read.find((r) => "problem" in r);
    if (refused !== undefined && "problem" in refused) out.warnings.push(`${at} ${refText(ref)} (${source}): the changed pod template does not decode (${refused.problem}): not rolled out`);
    else if ((read[0] as { template: string }).template !== (read[1] as { template: string }).template) out.faults.push({ type: "Rollout", ...target, strategic: { spec: { template: { $patch: "replace", ...((after.spec as JsonObject).template as JsonObject) } } } });
    else out.warnings.push(`${at} ${refText(ref)} (${source}): the pod template changed only in fields the twin does not model (${pathList(template)}): nothing to roll out`);
  }
  if (unexpressed.length > 0) out.warnings.push(`${at} ${refText(ref)} (${source}): ${pathList(unexpressed)} changed; no scenario fault expresses that: not replayed`);
  return out;
}

function replicasOf(object: JsonObject): number {
  const r = isJsonObject(object.spec) ? object.spec.replicas : undefined;
  return typeof r === "number" ? r : 1;
}

/** What the twin reads of an object's pod template (the codec's model object, canonical), or why it cannot. */
function templateOf(o: JsonObject): { template: string } | { problem: string } {
  const d = decodeKube(o);
  if (Result.isFailure(d)) return { problem: `${formatPath(d.failure.path)}: ${d.failure.message}` };
  if (d.success.outcome !== "object") return { problem: "a kind the twin does not model" };
  const object = d.success.object;
  return "spec" in object && isObject(object.spec) && "template" in object.spec ? { template: canonicalJson(object.spec.template) } : { problem: "no pod template" };
}

function isObject(v: unknown): v is object {
  return v !== null && typeof v === "object";
}

function pathList(paths: readonly Segment[][]): string {
  const shown = paths.slice(0, pathsShownMax).map((p) => formatPath(p));
  return paths.length > pathsShownMax ? `${shown.join(", ")} and ${paths.length - pathsShownMax} more` : shown.join(", ");
}
