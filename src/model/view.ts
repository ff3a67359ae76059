/**
 * The read-only view every policy decides over. The simulator hands its ClusterState (which
 * satisfies this structurally); the live adapter builds the same shape from informers.
 */
import type { Deployment, Lease, Namespace, Node, Pod, ReplicaSet, ResourceList } from "./objects.ts";
import type { PolicyObjectsView, SchedulerIndexesView } from "./scheduling-objects.ts";
import type { StoredKind, StoredObject } from "./stored-objects.ts";
import type { Ms } from "./units.ts";

export interface ClusterView extends PolicyObjectsView, SchedulerIndexesView {
  readonly nowMs: Ms;
  readonly namespaces: ReadonlyMap<string, Namespace>;
  readonly nodes: ReadonlyMap<string, Node>;
  readonly pods: ReadonlyMap<string, Pod>;
  readonly replicaSets: ReadonlyMap<string, ReplicaSet>;
  readonly deployments: ReadonlyMap<string, Deployment>;
  readonly leases: ReadonlyMap<string, Lease>;
  readonly podsByNode: ReadonlyMap<string, ReadonlySet<string>>;
  readonly requestedByNode: ReadonlyMap<string, Readonly<ResourceList>>;
  readonly podsByOwner: ReadonlyMap<string, ReadonlySet<string>>;
  /** The generic object store by kind (stored-objects.ts): kinds without a typed map above. */
  readonly objects: ReadonlyMap<StoredKind, ReadonlyMap<string, StoredObject>>;
  /** Optional indexes (a live view may lack them; readers then scan replicaSets). */
  readonly replicaSetsByOwner?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Bumped on every ReplicaSet create or remove. */
  readonly replicaSetsVersion?: number;
}
