/**
 * The cluster autoscaler's "what if" cluster (upstream simulator/clustersnapshot): the view's
 * nodes and pods, to which template nodes are added, from which nodes are removed, and on which
 * pods are placed, with fork/revert. Whether a pod fits a node is asked of the scheduler's own
 * framework (PreFilter + Filter plugins of the run's profile: upstream's PredicateChecker runs
 * the scheduler framework the same way), over a ClusterView built from this state — so every
 * in-tree filter (resources, taints, affinity, spreading, ports, volumes) decides, none is
 * re-implemented here. The view has no incremental indexes, so the plugins recount from it.
 */
import { assert } from "../../../model/assert.ts";
import { objectKey, type Node, type Pod, type ResourceList } from "../../../model/objects.ts";
import { addInto, podHoldsResources, podRequests } from "../../../model/resources.ts";
import type { ClusterView } from "../../../model/view.ts";
import { CycleState, runFilter, runPreFilter, type Framework } from "../../scheduling/framework.ts";
import { orderedNodes, Snapshot, type SchedulingView } from "../../scheduling/snapshot.ts";
import { daemonPodsFor } from "./template-node.ts";

type Undo = () => void;

export class ClusterSnapshot {
  private readonly nodes: Map<string, Node>;
  private readonly pods: Map<string, Pod>;
  private readonly podsByNode: Map<string, Set<string>>;
  private readonly requestedByNode: Map<string, ResourceList>;
  private readonly framework: Framework;
  private readonly undo: Undo[] = [];
  private readonly whatIf: SchedulingView;
  private readonly view: ClusterView;
  /** nodeNames() until the node set changes. */
  private sortedNames: string[] | undefined;

  constructor(view: ClusterView, framework: Framework) {
    this.framework = framework;
    this.view = view;
    this.nodes = new Map(view.nodes);
    this.pods = new Map(view.pods);
    this.podsByNode = new Map();
    this.requestedByNode = new Map();
    for (const name of view.nodes.keys()) {
      this.podsByNode.set(name, new Set(view.podsByNode.get(name) ?? []));
      this.requestedByNode.set(name, { ...(view.requestedByNode.get(name) ?? {}) });
    }
    // The view's policy objects and workloads as they are; the indexes the scheduler would use to
    // skip a recount are left out (undefined), since this cluster changes under them.
    this.whatIf = {
      ...view,
      nodes: this.nodes,
      pods: this.pods,
      podsByNode: this.podsByNode,
      requestedByNode: this.requestedByNode,
      nodesVersion: undefined,
      podsVersionByNode: undefined,
      nodeChanges: undefined,
      podKeysWithPodAffinity: undefined,
      podsByLabel: undefined,
    } as SchedulingView;
  }

  /** A mark to revert to (upstream Fork). */
  fork(): number {
    return this.undo.length;
  }

  /** Undoes everything since `mark` (upstream Revert). */
  revert(mark: number): void {
    assert(mark <= this.undo.length, `revert to ${mark} past ${this.undo.length} changes`);
    while (this.undo.length > mark) (this.undo.pop() as Undo)();
  }

  /** The pods holding resources on a node of the snapshot (the view's and those placed there), in key order. */
  podsOn(name: string): Pod[] {
    const out: Pod[] = [];
    for (const key of [...(this.podsByNode.get(name) ?? [])].sort()) {
      const pod = this.pods.get(key);
      if (pod !== undefined && pod.spec.nodeName === name && podHoldsResources(pod)) out.push(pod);
    }
    return out;
  }

  hasNode(name: string): boolean {
    return this.nodes.has(name);
  }

  /** The snapshot's node names, sorted (read-only; the same array until a node is added or removed). */
  nodeNames(): readonly string[] {
    return (this.sortedNames ??= [...this.nodes.keys()].sort());
  }

  addNode(node: Node): void {
    const name = node.metadata.name;
    assert(!this.nodes.has(name), `snapshot node ${name} added twice`);
    this.nodes.set(name, node);
    this.podsByNode.set(name, new Set());
    this.requestedByNode.set(name, {});
    this.sortedNames = undefined;
    this.undo.push(() => {
      this.sortedNames = undefined;
      this.nodes.delete(name);
      this.podsByNode.delete(name);
      this.requestedByNode.delete(name);
    });
  }

  /** A node a group would add: the template with the DaemonSet pods that would start on it (template-node.ts). */
  addTemplateNode(node: Node): void {
    this.addNode(node);
    for (const pod of daemonPodsFor(this.view, node)) this.placePod(pod, node.metadata.name);
  }

  /** The node leaves the snapshot; pods still bound to it no longer count anywhere. */
  removeNode(name: string): void {
    const node = this.nodes.get(name);
    assert(node !== undefined, `snapshot has no node ${name}`);
    const keys = this.podsByNode.get(name) as Set<string>;
    const requested = this.requestedByNode.get(name) as ResourceList;
    this.nodes.delete(name);
    this.podsByNode.delete(name);
    this.requestedByNode.delete(name);
    this.sortedNames = undefined;
    this.undo.push(() => {
      this.sortedNames = undefined;
      this.nodes.set(name, node);
      this.podsByNode.set(name, keys);
      this.requestedByNode.set(name, requested);
    });
  }

  /** Binds (a copy of) the pod to `nodeName`, taking it off the node it was on, if that is still here. */
  placePod(pod: Pod, nodeName: string): void {
    const key = objectKey(pod.metadata);
    const before = this.pods.get(key);
    const placed: Pod = { ...pod, spec: { ...pod.spec, nodeName } };
    if (before !== undefined) this.unbind(key, before);
    this.pods.set(key, placed);
    this.bind(key, placed);
    this.undo.push(() => {
      this.unbind(key, placed);
      if (before === undefined) this.pods.delete(key);
      else {
        this.pods.set(key, before);
        this.bind(key, before);
      }
    });
  }

  /** The first of `candidates` (in their order) the pod fits, by the scheduler's PreFilter and Filter plugins. */
  firstFit(pod: Pod, candidates: readonly string[]): string | undefined {
    if (candidates.length === 0) return undefined;
    const unbound: Pod = pod.spec.nodeName === undefined ? pod : { ...pod, spec: { ...pod.spec, nodeName: undefined } };
    const snapshot = new Snapshot(this.whatIf, orderedNodes(this.nodes));
    const state = new CycleState(unbound, snapshot);
    const pre = runPreFilter(this.framework, state);
    if (pre.status.code !== "Success") return undefined;
    for (const name of candidates) {
      if (pre.nodeNames !== undefined && !pre.nodeNames.has(name)) continue;
      const info = snapshot.nodeInfoByName(name);
      if (info !== undefined && runFilter(this.framework, state, info).code === "Success") return name;
    }
    return undefined;
  }

  fits(pod: Pod, nodeName: string): boolean {
    return this.firstFit(pod, [nodeName]) !== undefined;
  }

  private bind(key: string, pod: Pod): void {
    const node = pod.spec.nodeName;
    if (node === undefined || !this.nodes.has(node)) return;
    (this.podsByNode.get(node) as Set<string>).add(key);
    if (podHoldsResources(pod)) addInto(this.requestedByNode.get(node) as ResourceList, podRequests(pod));
  }

  private unbind(key: string, pod: Pod): void {
    const node = pod.spec.nodeName;
    if (node === undefined || !this.nodes.has(node)) return;
    const keys = this.podsByNode.get(node) as Set<string>;
    if (!keys.delete(key)) return;
    if (podHoldsResources(pod)) addInto(this.requestedByNode.get(node) as ResourceList, podRequests(pod), -1);
  }
}
