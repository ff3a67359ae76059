/**
 * A shadow session: watch the observed cluster, and for every binding the cluster makes (a pod
 * seen unbound, then bound) record the twin scheduler's verdict beside it. Read-only: the session
 * decides, the cluster acts. Each verdict goes to `record` (the CLI writes it to the event log).
 */
import type { Node, Pod } from "../model/objects.ts";
import type { Framework } from "../policies/scheduling/framework.ts";
import type { LiveChange, LiveCluster } from "./live-cluster.ts";
import { agreementOf, ShadowView, type Agreement, type ScheduleVerdict } from "./shadow-scheduler.ts";

const nodeNameOf = (json: Record<string, unknown> | undefined): string | undefined => (json?.["spec"] as { nodeName?: string } | undefined)?.nodeName;

export class ShadowSession {
  readonly verdicts: ScheduleVerdict[] = [];
  readonly view = new ShadowView();
  private readonly framework: Framework;
  private readonly record: (v: ScheduleVerdict, seq: number) => void;

  constructor(cluster: LiveCluster, framework: Framework, record: (v: ScheduleVerdict, seq: number) => void) {
    this.framework = framework;
    this.record = record;
    for (const node of (cluster.objects.get("Node") as ReadonlyMap<string, Node>).values()) this.view.putNode(node);
    for (const [key, pod] of cluster.objects.get("Pod") as ReadonlyMap<string, Pod>) this.putPod(key, pod);
    cluster.on((c) => this.onChange(c));
  }

  /** A pod bound to a node not observed (yet) stays out of the view: nothing to place it on. */
  private putPod(key: string, pod: Pod): void {
    if (pod.spec.nodeName !== undefined && !this.view.state.nodes.has(pod.spec.nodeName)) this.view.removePod(key);
    else this.view.putPod(key, pod);
  }

  private onChange(c: LiveChange): void {
    if (c.kind === "Node") {
      if (c.type === "deleted" || c.object === undefined) this.view.removeNode(c.key);
      else this.view.putNode(c.object as Node);
      return;
    }
    if (c.kind !== "Pod") return;
    if (c.type === "deleted" || c.object === undefined) return this.view.removePod(c.key);
    this.putPod(c.key, c.object as Pod);
    const real = nodeNameOf(c.json);
    if (c.type !== "updated" || real === undefined || nodeNameOf(c.oldJson) !== undefined) return;
    if (!this.view.state.pods.has(c.key)) return; // bound to a node the adapter has not seen yet: nothing to compare with
    const verdict = this.view.judge(this.framework, c.key, real);
    this.verdicts.push(verdict);
    this.record(verdict, this.verdicts.length);
  }

  agreement(): Agreement {
    return agreementOf(this.verdicts);
  }
}
