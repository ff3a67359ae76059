/**
 * core/v1 Node ↔ the model's Node: cordon (spec.unschedulable), taints, capacity and allocatable
 * (integers: cpu in millicores), and the Ready condition. As the API server defaults them,
 * allocatable is the capacity when not given (upstream SetDefaults_NodeStatus); the twin also takes
 * a node that states only allocatable as having that capacity. A node without a Ready condition
 * reads as Ready=True: upstream it carries no not-ready/unreachable taint either, so the scheduler
 * places pods on it.
 */
import { Schema, SchemaGetter } from "effect";
import type { ConditionStatus, Node, Taint } from "../model/objects.ts";
import { modelOf } from "./codec.ts";
import { opt } from "./fields.ts";
import { ClusterMeta } from "./object-meta.ts";
import { TaintEffect } from "./pod-spec.ts";
import { ResourceList } from "./quantity.ts";
import { Timestamp } from "./time.ts";

const unsetTimeMs = 0;

const TaintWire = Schema.Struct({
  key: Schema.NonEmptyString,
  value: opt(Schema.String),
  effect: TaintEffect,
  timeAdded: opt(Timestamp),
});

const TaintCodec = TaintWire.pipe(
  Schema.decodeTo(modelOf<Taint>("a taint"), {
    decode: SchemaGetter.transform(({ timeAdded, ...rest }: typeof TaintWire.Type): Taint => (timeAdded === undefined ? { ...rest } : { ...rest, timeAddedMs: timeAdded })),
    encode: SchemaGetter.transform(({ timeAddedMs, ...rest }: Taint) => (timeAddedMs === undefined ? rest : { ...rest, timeAdded: timeAddedMs })),
  }),
);

const NodeCondition = Schema.Struct({
  type: Schema.String,
  status: Schema.Literals(["True", "False", "Unknown"]),
  lastTransitionTime: opt(Timestamp),
});

const NodeWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("v1")),
  kind: opt(Schema.Literal("Node")),
  metadata: ClusterMeta,
  spec: opt(Schema.Struct({ unschedulable: opt(Schema.Boolean), taints: opt(Schema.Array(TaintCodec)) })),
  status: opt(
    Schema.Struct({
      capacity: opt(ResourceList),
      allocatable: opt(ResourceList),
      conditions: opt(Schema.Array(NodeCondition)),
    }),
  ),
});

type NodeWire = typeof NodeWire.Type;

function nodeOf(w: NodeWire): Node {
  const status = w.status ?? {};
  const allocatable = { ...(status.allocatable ?? status.capacity) };
  const ready = status.conditions?.find((c) => c.type === "Ready");
  return {
    kind: "Node",
    metadata: w.metadata,
    spec: { unschedulable: w.spec?.unschedulable ?? false, taints: [...(w.spec?.taints ?? [])] },
    status: {
      capacity: { ...(status.capacity ?? allocatable) },
      allocatable,
      ready: ready?.status ?? ("True" satisfies ConditionStatus),
      readyTransitionMs: ready?.lastTransitionTime ?? unsetTimeMs,
    },
  };
}

function nodeWireOf(node: Node): NodeWire {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: node.metadata,
    spec: { ...(node.spec.unschedulable ? { unschedulable: true } : {}), ...(node.spec.taints.length === 0 ? {} : { taints: node.spec.taints }) },
    status: {
      capacity: node.status.capacity,
      allocatable: node.status.allocatable,
      conditions: [{ type: "Ready", status: node.status.ready, lastTransitionTime: node.status.readyTransitionMs }],
    },
  };
}

export const NodeCodec = NodeWire.pipe(
  Schema.decodeTo(modelOf<Node>("a Node", "Node"), {
    decode: SchemaGetter.transform(nodeOf),
    encode: SchemaGetter.transform(nodeWireOf),
  }),
);
