/**
 * A shadow session: watch the observed cluster, and for every binding the cluster makes (a pod
 * seen unbound, then bound) record the twin scheduler's verdict beside it. Read-only: the session
 * decides, the cluster acts. Each verdict goes to `record` (the CLI writes it to the event log).
 */
import type { Node, Pod } from "../model/objects.ts";
import type { Framework } from "../policies/scheduling/framework.ts";
import type { LiveChange, LiveCluster } from "./live-cluster.ts";
import { agreementOf, judgeBinding, type Agreement, type ScheduleVerdict } from "./shadow-scheduler.ts";

const nodeNameOf = (json: Record<string, unknown> | undefined): string | undefined => (json?.["spec"] as { nodeName?: string } | undefined)?.nodeName;

export class ShadowSession {
  readonly verdicts: ScheduleVerdict[] = [];
  private readonly cluster: LiveCluster;
  private readonly framework: Framework;
  private readonly record: (v: ScheduleVerdict, seq: number) => void;

  constructor(cluster: LiveCluster, framework: Framework, record: (v: ScheduleVerdict, seq: number) => void) {
    this.cluster = cluster;
    this.framework = framework;
    this.record = record;
    cluster.on((c) => this.onChange(c));
  }

  private onChange(c: LiveChange): void {
    if (c.kind !== "Pod" || c.type !== "updated" || c.object === undefined) return;
    const real = nodeNameOf(c.json);
    if (real === undefined || nodeNameOf(c.oldJson) !== undefined) return;
    const nodes = this.cluster.objects.get("Node") as ReadonlyMap<string, Node>;
    const pods = this.cluster.objects.get("Pod") as ReadonlyMap<string, Pod>;
    if (!nodes.has(real)) return; // bound to a node the adapter has not seen yet: nothing to compare with
    const verdict = judgeBinding(this.framework, nodes, pods, c.key, real);
    this.verdicts.push(verdict);
    this.record(verdict, this.verdicts.length);
  }

  agreement(): Agreement {
    return agreementOf(this.verdicts);
  }
}
