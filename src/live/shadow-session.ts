/**
 * A shadow session: watch the observed cluster, and for every binding the cluster makes (a pod
 * seen unbound, then bound) record the twin scheduler's verdict beside it. Read-only: the session
 * decides, the cluster acts. Each verdict goes to `record` (the CLI writes it to the event log).
 *
 * Which view to judge in: the scheduler decided before its bind landed, on the state it had then
 * (its own assumed pods included). Changes observed between its decision and the bind (a pod
 * deleted, a node updated, a pod created) were not in that view. The session therefore keeps the
 * view as of the previous binding and the changes observed since (in watch order, which is
 * resourceVersion order per kind): a binding is judged first in the view just before it, and if the
 * twin disagrees there, in each earlier view back to the previous binding — the interval in which
 * a scheduler that binds one pod at a time decided. The earliest of those views in which it agrees
 * is the one reported (`changesBefore`).
 */
import type { Node, Pod } from "../model/objects.ts";
import type { Framework } from "../policies/scheduling/framework.ts";
import type { LiveChange, LiveCluster } from "./live-cluster.ts";
import type { KubeObject } from "../k8s/kinds.ts";
import { agreementOf, shadowObjectKinds, ShadowView, type Agreement, type ScheduleVerdict, type ShadowObjectKind } from "./shadow-scheduler.ts";

const nodeNameOf = (json: Record<string, unknown> | undefined): string | undefined => (json?.["spec"] as { nodeName?: string } | undefined)?.nodeName;

/** One observed change, replayable onto any view. */
type ViewChange = (view: ShadowView) => void;

/** A pod bound to a node not observed (yet) stays out of the view: nothing to place it on. */
function putPod(view: ShadowView, key: string, pod: Pod): void {
  if (pod.spec.nodeName !== undefined && !view.state.nodes.has(pod.spec.nodeName)) view.removePod(key);
  else view.putPod(key, pod);
}

function viewChangeOf(c: LiveChange): ViewChange | undefined {
  if (c.kind === "Node") {
    if (c.type === "deleted" || c.object === undefined) return (v) => v.removeNode(c.key);
    return (v) => v.putNode(c.object as Node);
  }
  if ((shadowObjectKinds as readonly string[]).includes(c.kind)) {
    const kind = c.kind as ShadowObjectKind;
    if (c.type === "deleted" || c.object === undefined) return (v) => v.removeObject(kind, c.key);
    return (v) => v.putObject(kind, c.key, c.object as KubeObject);
  }
  if (c.kind !== "Pod") return undefined;
  if (c.type === "deleted" || c.object === undefined) return (v) => v.removePod(c.key);
  return (v) => putPod(v, c.key, c.object as Pod);
}

/** A change's resourceVersion as a number; undefined when opaque (then it keeps its arrival order). */
function versionOf(c: LiveChange): number | undefined {
  const rv = (c.json?.["metadata"] as { resourceVersion?: string } | undefined)?.resourceVersion;
  return rv !== undefined && /^[0-9]+$/.test(rv) ? Number(rv) : undefined;
}

interface Observed {
  change: ViewChange;
  version: number | undefined;
}

export class ShadowSession {
  readonly verdicts: ScheduleVerdict[] = [];
  /** Everything observed, in arrival order. */
  readonly view = new ShadowView();
  private readonly framework: Framework;
  private readonly record: (v: ScheduleVerdict, seq: number) => void;
  /** The view as of the previous binding (or the first list), and the changes observed since that it does not hold. */
  private since: ShadowView;
  private changes: Observed[] = [];

  constructor(cluster: LiveCluster, framework: Framework, record: (v: ScheduleVerdict, seq: number) => void) {
    this.framework = framework;
    this.record = record;
    for (const kind of shadowObjectKinds) for (const [key, object] of cluster.objects.get(kind) ?? []) this.view.putObject(kind, key, object);
    for (const node of (cluster.objects.get("Node") as ReadonlyMap<string, Node>).values()) this.view.putNode(node);
    for (const [key, pod] of cluster.objects.get("Pod") as ReadonlyMap<string, Pod>) putPod(this.view, key, pod);
    this.since = this.view.copy();
    cluster.on((c) => this.onChange(c));
  }

  private onChange(c: LiveChange): void {
    const change = viewChangeOf(c);
    if (change === undefined) return;
    change(this.view);
    const real = c.kind === "Pod" ? nodeNameOf(c.json) : undefined;
    const version = versionOf(c);
    if (c.type !== "updated" || real === undefined || nodeNameOf(c.oldJson) !== undefined || !this.view.state.pods.has(c.key)) {
      this.changes.push({ change, version }); // a pod bound to a node the adapter has not seen yet is not judged: nothing to compare with
      return;
    }
    const verdict = this.judge(c.key, real, change, version);
    this.verdicts.push(verdict);
    this.record(verdict, this.verdicts.length);
  }

  /**
   * Judges a binding in the views the scheduler may have decided in: the changes before the bind's
   * resourceVersion (each kind has its own watch, so a node's later change can arrive before an
   * earlier binding), latest first, then back to the previous binding.
   */
  private judge(podKey: string, real: string, bind: ViewChange, bindVersion: number | undefined): ScheduleVerdict {
    const later = (o: Observed) => bindVersion !== undefined && o.version !== undefined && o.version > bindVersion;
    const before = this.changes.filter((o) => !later(o)).sort((a, b) => (a.version ?? 0) - (b.version ?? 0) || 0);
    const after = this.changes.filter(later);
    let atBind: ShadowView;
    if (after.length === 0) atBind = this.view; // nothing arrived out of order: what was observed is the view at the bind
    else {
      atBind = this.since.copy();
      for (const o of before) o.change(atBind);
      bind(atBind);
    }
    const latest = atBind.judge(this.framework, podKey, real);
    const verdict = latest.agreed ? latest : (this.judgeEarlier(podKey, real, before) ?? latest);
    this.since = atBind === this.view ? this.view.copy() : atBind;
    this.changes = after;
    return verdict;
  }

  /** The verdict in the earliest view since the previous binding (that holds the pod) where the twin agrees. */
  private judgeEarlier(podKey: string, real: string, before: readonly Observed[]): ScheduleVerdict | undefined {
    const view = this.since.copy();
    for (let applied = 0; applied < before.length; applied++) {
      if (view.state.pods.has(podKey) && view.state.nodes.has(real)) {
        const verdict = view.judge(this.framework, podKey, real);
        if (verdict.agreed) return { ...verdict, changesBefore: before.length - applied };
      }
      (before[applied] as Observed).change(view);
    }
    return undefined;
  }

  agreement(): Agreement {
    return agreementOf(this.verdicts);
  }
}
