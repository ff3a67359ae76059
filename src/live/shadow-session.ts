/**
 * A shadow session: watch the observed cluster, and for every binding the cluster makes (a pod
 * seen unbound, then bound) record the twin scheduler's verdict beside it. Read-only: the session
 * decides, the cluster acts. Each verdict goes to `record` (the CLI writes it to the event log).
 *
 * Which view to judge in: the scheduler decided before its bind landed, on the state it had then
 * (its own assumed pods included). resourceVersions order the cluster's changes, but each kind has
 * its own watch, so a node's change made after a binding can arrive before it. The session keeps
 * the changes observed since the previous binding, each with the object it replaced: a binding is
 * judged in the view without the changes of a later resourceVersion (undone, judged, redone), and
 * if the twin disagrees there, in each earlier view back to the previous binding — the interval in
 * which a scheduler that binds one pod at a time decided (changes between its decision and its
 * bind were not in its view). The closest such view in which it agrees is reported
 * (`changesBefore`). No state is copied: undoing a change puts back the object it replaced.
 */
import type { Node, Pod } from "../model/objects.ts";
import type { Framework } from "../policies/scheduling/framework.ts";
import type { LiveChange, LiveCluster } from "./live-cluster.ts";
import type { KubeObject } from "../k8s/kinds.ts";
import { agreementOf, shadowObjectKinds, ShadowView, type Agreement, type ScheduleVerdict, type ShadowObjectKind } from "./shadow-scheduler.ts";

const nodeNameOf = (json: Record<string, unknown> | undefined): string | undefined => (json?.["spec"] as { nodeName?: string } | undefined)?.nodeName;

type Kind = "Node" | "Pod" | ShadowObjectKind;

/** One observed change to one object: what it put (undefined: a deletion) and what it replaced. */
interface Observed {
  kind: Kind;
  key: string;
  next: KubeObject | undefined;
  previous: KubeObject | undefined;
  /** Its resourceVersion as a number; undefined when opaque (it then keeps its arrival order). */
  version: number | undefined;
}

/** Changes kept between bindings, at most (the oldest dropped: fewer earlier views to judge in). */
export const shadowJournalMax = 10_000;

const isObjectKind = (kind: string): kind is ShadowObjectKind => (shadowObjectKinds as readonly string[]).includes(kind);

function objectOf(view: ShadowView, kind: Kind, key: string): KubeObject | undefined {
  if (kind === "Node") return view.state.nodes.get(key);
  if (kind === "Pod") return view.state.pods.get(key);
  if (kind === "Namespace") return view.state.namespaces.get(key);
  if (kind === "ReplicaSet") return view.state.replicaSets.get(key);
  return view.state.objects.get(kind)?.get(key) as KubeObject | undefined;
}

/** A pod bound to a node not observed (yet) stays out of the view: nothing to place it on. */
function put(view: ShadowView, kind: Kind, key: string, object: KubeObject | undefined): void {
  if (kind === "Node") return object === undefined ? view.removeNode(key) : view.putNode(object as Node);
  if (kind === "Pod") {
    const pod = object as Pod | undefined;
    if (pod === undefined || (pod.spec.nodeName !== undefined && !view.state.nodes.has(pod.spec.nodeName))) return view.removePod(key);
    return view.putPod(key, pod);
  }
  if (object === undefined) view.removeObject(kind, key);
  else view.putObject(kind, key, object);
}

const redo = (view: ShadowView, o: Observed) => put(view, o.kind, o.key, o.next);
const undo = (view: ShadowView, o: Observed) => put(view, o.kind, o.key, o.previous);

function versionOf(c: LiveChange): number | undefined {
  const rv = (c.json?.["metadata"] as { resourceVersion?: string } | undefined)?.resourceVersion;
  return rv !== undefined && /^[0-9]+$/.test(rv) ? Number(rv) : undefined;
}

export class ShadowSession {
  readonly verdicts: ScheduleVerdict[] = [];
  /** Everything observed, in arrival order (between judgements). */
  readonly view = new ShadowView();
  private readonly framework: Framework;
  private readonly record: (v: ScheduleVerdict, seq: number) => void;
  /** The changes observed since the previous binding, in arrival order (and later ones that arrived before it). */
  private changes: Observed[] = [];

  constructor(cluster: LiveCluster, framework: Framework, record: (v: ScheduleVerdict, seq: number) => void) {
    this.framework = framework;
    this.record = record;
    for (const kind of shadowObjectKinds) for (const [key, object] of cluster.objects.get(kind) ?? []) this.view.putObject(kind, key, object);
    for (const node of (cluster.objects.get("Node") as ReadonlyMap<string, Node>).values()) this.view.putNode(node);
    for (const [key, pod] of cluster.objects.get("Pod") as ReadonlyMap<string, Pod>) put(this.view, "Pod", key, pod);
    cluster.on((c) => this.onChange(c));
  }

  private onChange(c: LiveChange): void {
    if (c.kind !== "Node" && c.kind !== "Pod" && !isObjectKind(c.kind)) return;
    const next = c.type === "deleted" ? undefined : c.object;
    const observed: Observed = { kind: c.kind, key: c.key, next, previous: objectOf(this.view, c.kind, c.key), version: versionOf(c) };
    redo(this.view, observed);
    const real = c.kind === "Pod" ? nodeNameOf(c.json) : undefined;
    if (c.type !== "updated" || real === undefined || nodeNameOf(c.oldJson) !== undefined || !this.view.state.pods.has(c.key)) {
      this.changes.push(observed); // a pod bound to a node the adapter has not seen yet is not judged: nothing to compare with
      if (this.changes.length > shadowJournalMax) this.changes.shift();
      return;
    }
    const verdict = this.judge(observed, real);
    this.verdicts.push(verdict);
    this.record(verdict, this.verdicts.length);
  }

  /** Undoes the changes of a later resourceVersion than the bind, judges, looks back if the twin disagrees, redoes. */
  private judge(bind: Observed, real: string): ScheduleVerdict {
    const later = (o: Observed) => bind.version !== undefined && o.version !== undefined && o.version > bind.version;
    const after = this.changes.filter(later);
    const before = this.changes.filter((o) => !later(o));
    for (const o of [...after].reverse()) undo(this.view, o); // other objects than the bound pod: a pod's watch is in order
    const latest = this.view.judge(this.framework, bind.key, real);
    const verdict = latest.agreed ? latest : (this.judgeEarlier(bind, real, before) ?? latest);
    for (const o of after) redo(this.view, o);
    this.changes = after;
    return verdict;
  }

  /** The verdict in the closest earlier view since the previous binding (that holds the pod) where the twin agrees. */
  private judgeEarlier(bind: Observed, real: string, before: readonly Observed[]): ScheduleVerdict | undefined {
    undo(this.view, bind);
    let found: ScheduleVerdict | undefined;
    let undone = 0;
    for (; undone < before.length && found === undefined; undone++) {
      undo(this.view, before[before.length - 1 - undone] as Observed);
      if (!this.view.state.pods.has(bind.key) || !this.view.state.nodes.has(real)) continue;
      const verdict = this.view.judge(this.framework, bind.key, real);
      if (verdict.agreed) found = { ...verdict, changesBefore: undone + 1 };
    }
    for (let i = before.length - undone; i < before.length; i++) redo(this.view, before[i] as Observed);
    redo(this.view, bind);
    return found;
  }

  agreement(): Agreement {
    return agreementOf(this.verdicts);
  }
}
