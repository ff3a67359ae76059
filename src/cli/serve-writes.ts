/**
 * kubectl's writes against a live twin, as exogenous actions at the current virtual time through
 * the paths scenario inputs use (scenario-driver.ts): creates through the one codec and admission
 * (DeploymentCreated, PodCreated, ObjectCreated …), deletes (PodDeleting, DeletionStarted with the
 * propagation policy, ObjectDeleted), patches turned into the change events the model has
 * (DeploymentScaled, DeploymentTemplateChanged, DeploymentPauseChanged, NodeCordoned, ObjectUpdated),
 * the scale subresource (autoscaling/v1 Scale) and pods' eviction subresource (policy/v1 Eviction:
 * the twin's Eviction API with PDBs, 201 or 429 with upstream's message). Each request is answered
 * when its write commits. A change the model cannot express is refused with 422 naming the field.
 */
import { Result } from "effect";
import { decodeKube, type KubeObject } from "../k8s/kinds.ts";
import { formatPath } from "../scenario/error.ts";
import { canonicalJson } from "../model/canonical.ts";
import type { ClusterEvent } from "../model/cluster-event.ts";
import { gcFinalizersOf, isWorkloadKind, type PropagationPolicy } from "../model/deletion.ts";
import { isStoredKind, storedObjectsOf } from "../model/stored-objects.ts";
import type { Decision } from "../model/decision.ts";
import type { WriteOutcome } from "../sim/api/api-server.ts";
import { warningsOf } from "./serve-ignored-fields.ts";
import { applyPatch, PatchError, patchTypeOf } from "./serve-patch.ts";
import { scaleOf } from "./serve-scale.ts";
import type { LiveTwin } from "./serve-live.ts";
import { encodeServed, type KubeJson, type ServedResource } from "./serve-resources.ts";

type Json = Record<string, unknown>;

export interface WriteRequest {
  method: string;
  resource: ServedResource;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  contentType: string | undefined;
  body: unknown;
  query: URLSearchParams;
}

export interface WriteAnswer {
  code: number;
  body: unknown;
  /** Fields of the request the twin does not keep, sent as Warning headers (kubectl prints them). */
  warnings?: string[];
}

/** What the HTTP layer hands writes to (absent: the served twin is read-only). */
export interface ServedWrites {
  write(request: WriteRequest): Promise<WriteAnswer>;
}

export function statusBody(code: number, reason: string, message: string, details?: Json): Json {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: code < 300 ? "Success" : "Failure", message, reason, ...(details ? { details } : {}), code };
}

const fail = (code: number, reason: string, message: string, details?: Json): WriteAnswer => ({ code, body: statusBody(code, reason, message, details) });
const invalid = (r: ServedResource, name: string, field: string, message: string): WriteAnswer =>
  fail(422, "Invalid", `${r.kind} "${name}" is invalid: ${field}: ${message}`, { name, group: r.group, kind: r.kind, causes: [{ reason: "FieldValueInvalid", message, field }] });
const notFound = (r: ServedResource, name: string): WriteAnswer =>
  fail(404, "NotFound", `${r.plural}${r.group === "" ? "" : `.${r.group}`} "${name}" not found`, { name, group: r.group, kind: r.plural });

/** "403 Forbidden: exceeded quota …" (an admission or eviction refusal) → its code, reason and message. */
function refusal(reason: string | undefined): WriteAnswer {
  const m = /^(\d{3}) (\w+): ([\s\S]*)$/.exec(reason ?? "");
  if (m) return fail(Number(m[1]), m[2] as string, m[3] as string);
  return fail(409, "Conflict", reason ?? "the write conflicted");
}

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
const mapOf = (v: unknown): Json => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});

/** Fields of two maps that differ, in key order. */
function changedKeys(before: unknown, after: unknown): string[] {
  const a = mapOf(before);
  const b = mapOf(after);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().filter((k) => !same(a[k], b[k]));
}

/** Metadata a client may not change (or that the server owns): ignored in a patch's result, as the registry resets them. */
const serverMeta = new Set(["resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences", "finalizers"]);

export class LiveWrites implements ServedWrites {
  private readonly twin: LiveTwin;

  constructor(twin: LiveTwin) {
    this.twin = twin;
  }

  private get api() {
    return this.twin.sim.api;
  }

  /** Submits exogenous events (or one decision) and resolves with the first answer once committed. */
  private commit(events: readonly ClusterEvent[] | Decision): Promise<WriteOutcome[]> {
    const list = Array.isArray(events) ? events : [events];
    let answered = 0;
    const all = Promise.all(list.map((e) => new Promise<WriteOutcome>((resolve) => {
      const reply = { actor: { onEvent: (_tag: number, outcome: unknown) => (answered++, resolve(outcome as WriteOutcome)) }, tag: 0 };
      if ("id" in e) this.api.execute(e as Decision, reply, { exogenous: true });
      else this.api.submit(e as ClusterEvent, true, reply);
    })));
    this.twin.settle(() => answered === list.length);
    return all;
  }

  private key(r: ServedResource, namespace: string | undefined, name: string): string {
    return r.namespaced ? `${namespace ?? "default"}/${name}` : name;
  }

  private current(r: ServedResource, key: string): KubeObject | undefined {
    return r.objects?.(this.api.state).get(key);
  }

  async write(q: WriteRequest): Promise<WriteAnswer> {
    const r = q.resource;
    if (q.subresource === "scale") return q.method === "PUT" || q.method === "PATCH" ? this.scale(q) : fail(405, "MethodNotAllowed", `${q.method} is not allowed on ${r.plural}/scale`);
    if (q.subresource === "eviction") return q.method === "POST" && r.kind === "Pod" ? this.evict(q) : fail(405, "MethodNotAllowed", `${q.method} is not allowed on ${r.plural}/eviction`);
    if (q.subresource === "binding") return q.method === "POST" && r.kind === "Pod" ? this.bind(q) : fail(405, "MethodNotAllowed", `${q.method} is not allowed on ${r.plural}/binding`);
    if (q.subresource !== undefined) return fail(405, "MethodNotAllowed", `the twin does not write ${r.plural}/${q.subresource}`);
    if (q.method === "POST" && q.name === undefined) return this.create(q);
    if (q.name === undefined) return fail(405, "MethodNotAllowed", `${q.method} needs an object name`);
    if (q.method === "DELETE") return this.delete(q, q.name);
    if (q.method === "PUT" || q.method === "PATCH") return this.update(q, q.name);
    return fail(405, "MethodNotAllowed", `${q.method} is not allowed on ${r.plural}`);
  }

  private decode(r: ServedResource, raw: unknown, name: string): { object: KubeObject } | WriteAnswer {
    const d = decodeKube(raw);
    if (Result.isFailure(d)) return invalid(r, name, formatPath(d.failure.path), d.failure.message);
    if (d.success.outcome !== "object" || d.success.object.kind !== r.kind) return fail(400, "BadRequest", `the body is not a ${r.kind} the twin models`);
    return { object: d.success.object };
  }

  private async create(q: WriteRequest): Promise<WriteAnswer> {
    const r = q.resource;
    const raw = mapOf(q.body);
    const meta = mapOf(raw.metadata);
    const name = typeof meta.name === "string" ? meta.name : "";
    if (name === "") return invalid(r, name, "metadata.name", "Required value: name is required");
    if (r.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== (q.namespace ?? "default")) return fail(400, "BadRequest", `the namespace of the object (${String(meta.namespace)}) does not match the namespace of the request (${q.namespace ?? "default"})`);
      raw.metadata = { ...meta, namespace: q.namespace ?? "default" };
    }
    const key = this.key(r, q.namespace, name);
    if (this.current(r, key) !== undefined) return fail(409, "AlreadyExists", `${r.plural}${r.group === "" ? "" : `.${r.group}`} "${name}" already exists`, { name, group: r.group, kind: r.plural });
    const { status: _status, ...withoutStatus } = raw;
    const decoded = this.decode(r, withoutStatus, name);
    if (!("object" in decoded)) return decoded;
    const object = decoded.object;
    object.metadata.creationMs = this.twin.nowMs;
    object.metadata.uid = "";
    object.metadata.generation = 1; // the registry's BeforeCreate
    let event: ClusterEvent;
    switch (object.kind) {
      case "Deployment": event = { kind: "DeploymentCreated", deployment: this.api.assignUid(object, "deploy") }; break;
      case "ReplicaSet": event = { kind: "ReplicaSetCreated", replicaSet: this.api.assignUid(object, "rs") }; break;
      case "Pod": event = { kind: "PodCreated", pod: this.api.assignUid(object, "pod") }; break;
      case "Namespace": event = { kind: "NamespaceCreated", namespace: { ...object, metadata: { ...object.metadata, uid: `ns-${name}` } } }; break;
      default:
        if (!isStoredKind(object.kind)) return fail(405, "MethodNotAllowed", `${r.plural} are not created through the API in the twin (nodes join through the scenario's node pools)`);
        event = { kind: "ObjectCreated", object: this.api.assignUid(object as Extract<KubeObject, { kind: typeof object.kind }>, object.kind.toLowerCase()) } as ClusterEvent;
    }
    const [outcome] = await this.commit([event]);
    if (!outcome!.ok) return refusal(outcome!.reason);
    const created = this.twin.served.get(r, key) ?? encodeServed(this.current(r, key) as KubeObject);
    const warnings = warningsOf(withoutStatus, created);
    return { code: 201, body: created, ...(warnings.length > 0 ? { warnings } : {}) };
  }

  private async delete(q: WriteRequest, name: string): Promise<WriteAnswer> {
    const r = q.resource;
    const key = this.key(r, q.namespace, name);
    const object = this.current(r, key);
    if (object === undefined) return notFound(r, name);
    const options = mapOf(q.body);
    const grace = options.gracePeriodSeconds ?? q.query.get("gracePeriodSeconds");
    const policy = (options.propagationPolicy ?? q.query.get("propagationPolicy") ?? "Background") as PropagationPolicy;
    if (!["Background", "Foreground", "Orphan"].includes(policy)) return fail(400, "BadRequest", `propagationPolicy: unsupported value "${String(policy)}"`);
    const last = this.twin.served.get(r, key);
    let event: ClusterEvent;
    if (object.kind === "Pod") event = grace === 0 || grace === "0" ? { kind: "PodRemoved", key } : { kind: "PodDeleting", key, reason: "Deleted" };
    else if (isWorkloadKind(object.kind)) event = { kind: "DeletionStarted", objectKind: object.kind, key, finalizers: gcFinalizersOf(policy) };
    else if (isStoredKind(object.kind)) event = { kind: "ObjectDeleted", objectKind: object.kind, key };
    else return fail(405, "MethodNotAllowed", `the twin does not delete ${r.plural} through the API`);
    const [outcome] = await this.commit([event]);
    if (!outcome!.ok) return refusal(outcome!.reason);
    return { code: 200, body: this.twin.served.get(r, key) ?? last ?? statusBody(200, "", "deleted") };
  }

  /** The object after a PATCH (any of the three types) or a PUT. */
  private patched(q: WriteRequest, before: KubeJson): unknown | WriteAnswer {
    if (q.method === "PUT") return q.body;
    const type = patchTypeOf(q.contentType);
    if (type === undefined) return fail(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
    try {
      return applyPatch(type, structuredClone(before), q.body);
    } catch (e) {
      if (e instanceof PatchError) return fail(422, "Invalid", e.message);
      throw e;
    }
  }

  private async update(q: WriteRequest, name: string): Promise<WriteAnswer> {
    const r = q.resource;
    const key = this.key(r, q.namespace, name);
    const before = this.twin.served.get(r, key);
    const model = this.current(r, key);
    if (before === undefined || model === undefined) return notFound(r, name);
    const after = this.patched(q, before);
    if (isAnswer(after)) return after;
    const events = this.changeEvents(r, name, key, before, mapOf(after), model);
    if (!Array.isArray(events)) return events;
    if (events.length > 0) {
      const outcomes = await this.commit(events);
      const refused = outcomes.find((o) => !o.ok);
      if (refused !== undefined) return refusal(refused.reason);
    }
    const body = this.twin.served.get(r, key) ?? before;
    const warnings = warningsOf(withoutStatus(mapOf(after)), body);
    return { code: 200, body, ...(warnings.length > 0 ? { warnings } : {}) };
  }

  /** The model's change events for before → after, or 422 naming the first field it cannot change. */
  private changeEvents(r: ServedResource, name: string, key: string, before: KubeJson, after: Json, model: KubeObject): ClusterEvent[] | WriteAnswer {
    const metaChanged = changedKeys(before.metadata, after.metadata).filter((k) => !serverMeta.has(k));
    const specChanged = changedKeys(before.spec, after.spec);
    const unsupported = (field: string) => invalid(r, name, field, "the twin cannot change this field of a running object");
    if (model.kind === "Node") {
      const other = [...metaChanged.map((k) => `metadata.${k}`), ...specChanged.filter((k) => k !== "unschedulable").map((k) => `spec.${k}`)];
      if (other.length > 0) return unsupported(other[0] as string);
      if (!specChanged.includes("unschedulable")) return [];
      return [{ kind: "NodeCordoned", name, unschedulable: mapOf(after.spec).unschedulable === true }];
    }
    if (model.kind === "Deployment") {
      // Compared as the model reads them (the codec's defaults and quantities), so "0.5" and "500m" are no change.
      const decoded = this.decode(r, withoutStatus(after), name);
      if (!("object" in decoded)) return decoded;
      const next = decoded.object as typeof model;
      const specKeys = [...new Set([...Object.keys(model.spec), ...Object.keys(next.spec)])].sort();
      const changed = specKeys.filter((k) => !same((model.spec as Json)[k], (next.spec as Json)[k]));
      const other = [...metaChanged.filter((k) => k !== "annotations").map((k) => `metadata.${k}`), ...changed.filter((k) => !["replicas", "template", "paused"].includes(k)).map((k) => `spec.${k}`)];
      if (other.length > 0) return unsupported(other[0] as string);
      const events: ClusterEvent[] = [];
      if (changed.includes("replicas")) events.push({ kind: "DeploymentScaled", key, replicas: next.spec.replicas });
      if (changed.includes("template")) events.push({ kind: "DeploymentTemplateChanged", key, template: next.spec.template });
      if (changed.includes("paused")) events.push({ kind: "DeploymentPauseChanged", key, paused: next.spec.paused === true });
      if (metaChanged.includes("annotations")) {
        // The model carries a Deployment's annotations with its status (the controller's revision); the last-applied configuration rides there too.
        events.push({ kind: "DeploymentStatusChanged", key, status: model.status, annotations: next.metadata.annotations ?? {} });
      }
      return events;
    }
    if (isStoredKind(model.kind)) {
      if (metaChanged.includes("name") || metaChanged.includes("namespace")) return unsupported("metadata.name");
      const decoded = this.decode(r, withoutStatus(after), name);
      if (!("object" in decoded)) return decoded;
      const next = decoded.object as typeof model;
      const current = storedObjectsOf(this.api.state, model.kind).get(key) as typeof model;
      const generation = (current.metadata.generation ?? 1) + (specChanged.length > 0 ? 1 : 0);
      const object = { ...next, metadata: { ...current.metadata, labels: next.metadata.labels, ...(next.metadata.annotations !== undefined ? { annotations: next.metadata.annotations } : {}), generation } };
      if ("status" in current) (object as { status?: unknown }).status = current.status;
      return specChanged.length === 0 && metaChanged.length === 0 ? [] : [{ kind: "ObjectUpdated", object } as ClusterEvent];
    }
    const first = [...metaChanged.map((k) => `metadata.${k}`), ...specChanged.map((k) => `spec.${k}`)][0];
    return first === undefined ? [] : unsupported(first);
  }

  /** PUT / PATCH of the scale subresource: the patched Scale's spec.replicas set on the object. */
  private async scale(q: WriteRequest): Promise<WriteAnswer> {
    const r = q.resource;
    const name = q.name as string;
    const key = this.key(r, q.namespace, name);
    const before = scaleOf(this.twin.served.get(r, key), r);
    if (before === undefined) return notFound(r, name);
    const after = this.patched(q, before as KubeJson);
    if (isAnswer(after)) return after;
    const replicas = mapOf(mapOf(after).spec).replicas;
    if (!Number.isInteger(replicas) || (replicas as number) < 0) return invalid(r, name, "spec.replicas", "Invalid value: must be greater than or equal to 0");
    const n = replicas as number;
    const model = this.current(r, key) as KubeObject;
    let event: ClusterEvent;
    if (model.kind === "Deployment") event = { kind: "DeploymentScaled", key, replicas: n };
    else if (model.kind === "ReplicaSet") event = { kind: "ReplicaSetScaled", key, replicas: n };
    else if (model.kind === "StatefulSet") event = { kind: "ObjectUpdated", object: { ...model, spec: { ...model.spec, replicas: n }, metadata: { ...model.metadata, generation: (model.metadata.generation ?? 1) + 1 } } };
    else return fail(404, "NotFound", `${r.plural} have no scale subresource`);
    const [outcome] = await this.commit([event]);
    if (!outcome!.ok) return refusal(outcome!.reason);
    return { code: 200, body: scaleOf(this.twin.served.get(r, key), r) };
  }

  /**
   * POST pods/<name>/binding (a v1 Binding, what a scheduler sends): the pod bound to target.name
   * at commit, refused as the registry's BindingREST refuses (already bound, being deleted, no such node).
   */
  private async bind(q: WriteRequest): Promise<WriteAnswer> {
    const name = q.name as string;
    const key = this.key(q.resource, q.namespace, name);
    if (!this.api.state.pods.has(key)) return notFound(q.resource, name);
    const target = mapOf(mapOf(q.body).target);
    if (typeof target.name !== "string" || target.name === "") return invalid(q.resource, name, "target.name", "Required value");
    const [outcome] = await this.commit([{ kind: "PodBound", key, nodeName: target.name }]);
    if (!outcome!.ok) return fail(409, "Conflict", `Operation cannot be fulfilled on pods/binding "${name}": ${outcome!.reason ?? "conflict"}`);
    return { code: 201, body: statusBody(201, "", "") };
  }

  /** POST pods/<name>/eviction: the Eviction API decided at commit against the budgets then (api-server evict()). */
  private async evict(q: WriteRequest): Promise<WriteAnswer> {
    const name = q.name as string;
    const key = this.key(q.resource, q.namespace, name);
    const pod = this.api.state.pods.get(key);
    if (pod === undefined) return notFound(q.resource, name);
    const decision: Decision = { kind: "CreateEviction", id: `kubectl-evict/${key}/${pod.metadata.uid}/${this.twin.nowMs}`, podKey: key };
    const [outcome] = await this.commit(decision);
    if (!outcome!.ok) return refusal(outcome!.reason);
    return { code: 201, body: statusBody(201, "", "") };
  }
}

function withoutStatus(object: Json): Json {
  const { status: _status, ...rest } = object;
  return rest;
}

function isAnswer(v: unknown): v is WriteAnswer {
  return v !== null && typeof v === "object" && "code" in v && "body" in v && Object.keys(v).length === 2;
}
