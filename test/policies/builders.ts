/**
 * Fluent test builders in the style of upstream's st.MakePod()/st.MakeNode():
 * `makePod().name("a").cpuMilli(500).obj()`, `makeNode().name("n1").cpuMilli(4000).obj()`, and
 * `clusterOf(nodes, pods)` which folds them into a ClusterState through evolve.
 */
import { evolve } from "../../src/model/evolve.ts";
import type {
  Container,
  LabelSelector,
  Node,
  NodeSelectorTerm,
  Pod,
  PodAffinityTerm,
  ResourceList,
  Taint,
  Toleration,
  TopologySpreadConstraint,
} from "../../src/model/objects.ts";
import { emptyState, type ClusterState } from "../../src/model/state.ts";

const mebibyte = 1024 * 1024;

export class PodBuilder {
  private readonly pod: Pod = {
    kind: "Pod",
    metadata: { name: "pod", namespace: "default", uid: "uid-pod", labels: {}, creationMs: 0 },
    spec: { schedulerName: "default-scheduler", containers: [{ name: "c0", requests: {}, limits: {} }] },
    status: { phase: "Pending", ready: false },
  };

  name(name: string): this {
    this.pod.metadata.name = name;
    this.pod.metadata.uid = `uid-${name}`;
    return this;
  }
  namespace(ns: string): this {
    this.pod.metadata.namespace = ns;
    return this;
  }
  label(key: string, value: string): this {
    this.pod.metadata.labels[key] = value;
    return this;
  }
  labels(labels: Record<string, string>): this {
    Object.assign(this.pod.metadata.labels, labels);
    return this;
  }
  private first(): Container {
    return this.pod.spec.containers[0] as Container;
  }
  req(requests: ResourceList): this {
    Object.assign(this.first().requests, requests);
    return this;
  }
  cpuMilli(milli: number): this {
    return this.req({ cpu: milli });
  }
  memoryMi(mi: number): this {
    return this.req({ memory: mi * mebibyte });
  }
  containers(...requests: ResourceList[]): this {
    this.pod.spec.containers = requests.map((r, i) => ({ name: `c${i}`, requests: { ...r }, limits: {} }));
    return this;
  }
  initContainers(...requests: ResourceList[]): this {
    this.pod.spec.initContainers = requests.map((r, i) => ({ name: `init${i}`, requests: { ...r }, limits: {} }));
    return this;
  }
  limits(limits: ResourceList): this {
    Object.assign(this.first().limits, limits);
    return this;
  }
  node(name: string): this {
    this.pod.spec.nodeName = name;
    this.pod.status.phase = "Running";
    return this;
  }
  priority(p: number): this {
    this.pod.spec.priority = p;
    return this;
  }
  priorityClassName(name: string): this {
    this.pod.spec.priorityClassName = name;
    return this;
  }
  preemptionPolicy(policy: "PreemptLowerPriority" | "Never"): this {
    this.pod.spec.preemptionPolicy = policy;
    return this;
  }
  createdAtMs(ms: number): this {
    this.pod.metadata.creationMs = ms;
    return this;
  }
  startedAtMs(ms: number): this {
    this.pod.status.startedMs = ms;
    return this;
  }
  terminating(atMs = 1): this {
    this.pod.metadata.deletionMs = atMs;
    return this;
  }
  toleration(t: Toleration): this {
    (this.pod.spec.tolerations ??= []).push(t);
    return this;
  }
  nodeSelector(selector: Record<string, string>): this {
    this.pod.spec.nodeSelector = { ...selector };
    return this;
  }
  requiredNodeAffinity(terms: NodeSelectorTerm[]): this {
    const affinity = (this.pod.spec.affinity ??= {});
    affinity.nodeAffinity = { ...affinity.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } };
    return this;
  }
  preferredNodeAffinity(weight: number, term: NodeSelectorTerm): this {
    const na = ((this.pod.spec.affinity ??= {}).nodeAffinity ??= {});
    (na.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, preference: term });
    return this;
  }
  podAffinity(topologyKey: string, selector: LabelSelector): this {
    const pa = ((this.pod.spec.affinity ??= {}).podAffinity ??= {});
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push({ topologyKey, labelSelector: selector });
    return this;
  }
  podAntiAffinity(topologyKey: string, selector: LabelSelector): this {
    const pa = ((this.pod.spec.affinity ??= {}).podAntiAffinity ??= {});
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push({ topologyKey, labelSelector: selector });
    return this;
  }
  preferredPodAffinity(weight: number, term: PodAffinityTerm): this {
    const pa = ((this.pod.spec.affinity ??= {}).podAffinity ??= {});
    (pa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: term });
    return this;
  }
  preferredPodAntiAffinity(weight: number, term: PodAffinityTerm): this {
    const pa = ((this.pod.spec.affinity ??= {}).podAntiAffinity ??= {});
    (pa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: term });
    return this;
  }
  spread(constraint: TopologySpreadConstraint): this {
    (this.pod.spec.topologySpreadConstraints ??= []).push(constraint);
    return this;
  }
  hostPort(port: number, protocol: "TCP" | "UDP" = "TCP"): this {
    (this.first().ports ??= []).push({ containerPort: port, hostPort: port, protocol });
    return this;
  }
  claim(claimName: string): this {
    (this.pod.spec.volumes ??= []).push({ name: claimName, persistentVolumeClaim: { claimName } });
    return this;
  }
  schedulerName(name: string): this {
    this.pod.spec.schedulerName = name;
    return this;
  }
  obj(): Pod {
    return structuredClone(this.pod);
  }
}

export class NodeBuilder {
  private readonly node: Node = {
    kind: "Node",
    metadata: { name: "node", namespace: "", uid: "uid-node", labels: {}, creationMs: 0 },
    spec: { unschedulable: false, taints: [] },
    status: { capacity: {}, allocatable: {}, ready: "True", readyTransitionMs: 0 },
  };

  name(name: string): this {
    this.node.metadata.name = name;
    this.node.metadata.uid = `uid-${name}`;
    this.node.metadata.labels["kubernetes.io/hostname"] = name;
    return this;
  }
  label(key: string, value: string): this {
    this.node.metadata.labels[key] = value;
    return this;
  }
  labels(labels: Record<string, string>): this {
    Object.assign(this.node.metadata.labels, labels);
    return this;
  }
  zone(zone: string): this {
    return this.label("topology.kubernetes.io/zone", zone);
  }
  allocatable(resources: ResourceList): this {
    Object.assign(this.node.status.allocatable, resources);
    Object.assign(this.node.status.capacity, resources);
    return this;
  }
  cpuMilli(milli: number): this {
    return this.allocatable({ cpu: milli });
  }
  memoryMi(mi: number): this {
    return this.allocatable({ memory: mi * mebibyte });
  }
  pods(count: number): this {
    return this.allocatable({ pods: count });
  }
  taint(taint: Taint): this {
    this.node.spec.taints.push(taint);
    return this;
  }
  unschedulable(): this {
    this.node.spec.unschedulable = true;
    return this;
  }
  ready(status: "True" | "False" | "Unknown"): this {
    this.node.status.ready = status;
    return this;
  }
  obj(): Node {
    return structuredClone(this.node);
  }
}

export function makePod(): PodBuilder {
  return new PodBuilder();
}

export function makeNode(): NodeBuilder {
  return new NodeBuilder();
}

/** A ClusterState holding these nodes and pods (pods with spec.nodeName count as bound). */
export function clusterOf(nodes: readonly Node[], pods: readonly Pod[] = []): ClusterState {
  const state = emptyState();
  for (const node of nodes) evolve(state, { kind: "NodeAdded", node: structuredClone(node) }, 0);
  for (const pod of pods) evolve(state, { kind: "PodCreated", pod: structuredClone(pod) }, 0);
  return state;
}
