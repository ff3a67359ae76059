/**
 * SimKube's pod lifecycles → container behaviour rules, so that pods that ran to completion in
 * the trace finish in the twin too: for an owner whose pods do not restart (restartPolicy Never
 * or OnFailure: a Job's, a CronJob's, a bare pod's), its Finished lifecycles give the time from
 * start to exit (one duration, or the range they span), exit code 0. A rule matches the owner's
 * pods by namespace, their template's labels and the first container's image. So that it matches
 * only them — two bare pods of one image are otherwise alike — the owner's pod template (a bare
 * pod's own metadata) is given the label `kubetwin.io/trace-owner: <Kind>.<name>` in the manifest
 * passed in (changed in place: the scenario's workload holds that object), when the name fits a
 * label value; otherwise owners that match alike share one rule. Pods that run on (Deployments',
 * Running lifecycles) need no rule.
 */
import { formatDurationMs } from "../model/units.ts";
import type { OwnerLifecycles } from "./simkube-trace.ts";
import { isJsonObject, type Json, type JsonObject } from "./plain-json.ts";

interface Rule {
  owners: string[];
  namespace: string;
  selector: Record<string, string>;
  image: string | undefined;
  durationsS: number[];
}

export const traceOwnerLabel = "kubetwin.io/trace-owner";
/** A label value as the API server validates it (apimachinery validation.IsValidLabelValue). */
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const labelValueBytesMax = 63;

function tagOwnerPods(template: JsonObject, value: string): void {
  if (value.length > labelValueBytesMax || !labelValue.test(value)) return;
  if (!isJsonObject(template.metadata)) template.metadata = {};
  const meta = template.metadata as JsonObject;
  meta.labels = { ...(isJsonObject(meta.labels) ? meta.labels : {}), [traceOwnerLabel]: value };
}

export function behaviorsOfLifecycles(lifecycles: readonly OwnerLifecycles[], objects: ReadonlyMap<string, JsonObject>): JsonObject[] {
  const rules = new Map<string, Rule>();
  for (const owner of lifecycles) {
    const kind = kindOfGvk(owner.ownerGvk);
    const [namespace = "default", name = ""] = owner.owner.includes("/") ? owner.owner.split("/", 2) : ["default", owner.owner];
    const object = objects.get(`${kind}/${namespace}/${name}`);
    const template = object === undefined ? undefined : podTemplateOf(object);
    if (template === undefined) continue;
    const spec = isJsonObject(template.spec) ? template.spec : {};
    if (spec.restartPolicy !== "Never" && spec.restartPolicy !== "OnFailure") continue;
    const durationsS = owner.bySpecHash.flatMap((h) => h.lifecycles.flatMap((l) => (l.kind === "Finished" ? [l.endS - l.startS] : [])));
    if (durationsS.length === 0) continue;
    tagOwnerPods(template, `${kind}.${name}`);
    const selector = stringMap(isJsonObject(template.metadata) ? template.metadata.labels : undefined);
    const containers = Array.isArray(spec.containers) ? spec.containers : [];
    const image = isJsonObject(containers[0]) && typeof containers[0].image === "string" ? containers[0].image : undefined;
    const match = JSON.stringify([namespace, Object.entries(selector).sort(), image ?? null]);
    const rule = rules.get(match) ?? rules.set(match, { owners: [], namespace, selector, image, durationsS: [] }).get(match) as Rule;
    rule.owners.push(`${kind} ${owner.owner}`);
    rule.durationsS.push(...durationsS);
  }
  return [...rules.values()].map(ruleDoc);
}

function ruleDoc(r: Rule): JsonObject {
  const min = Math.min(...r.durationsS) * 1000;
  const max = Math.max(...r.durationsS) * 1000;
  const owners = r.owners.length > 1 ? `${r.owners[0]} and ${r.owners.length - 1} more` : r.owners[0];
  const match: JsonObject = { namespace: r.namespace, selector: r.selector };
  if (r.image !== undefined) match.image = r.image;
  return { name: `finish as in the trace: ${owners}`, match, exit: { after: min === max ? formatDurationMs(min) : { min: formatDurationMs(min), max: formatDurationMs(max) }, exitCode: 0 } };
}

/** `batch/v1.CronJob` → `CronJob`, `v1.Pod` → `Pod`. */
export function kindOfGvk(gvk: string): string {
  return gvk.slice(gvk.lastIndexOf(".") + 1);
}

/** The pod template an object's pods are made from (a bare pod is its own). */
export function podTemplateOf(object: JsonObject): JsonObject | undefined {
  const spec = isJsonObject(object.spec) ? object.spec : undefined;
  if (spec === undefined) return undefined;
  if (object.kind === "Pod") return { metadata: isJsonObject(object.metadata) ? object.metadata : {}, spec };
  if (object.kind === "CronJob") {
    const job = isJsonObject(spec.jobTemplate) && isJsonObject(spec.jobTemplate.spec) ? spec.jobTemplate.spec : undefined;
    return job !== undefined && isJsonObject(job.template) ? job.template : undefined;
  }
  return isJsonObject(spec.template) ? spec.template : undefined;
}

function stringMap(v: Json | undefined): Record<string, string> {
  if (!isJsonObject(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string"));
}
