/**
 * v1 Service ↔ the model's Service: the selector (which pods are its endpoints) and the ports.
 * Defaults as upstream SetDefaults_Service: type ClusterIP, protocol TCP, targetPort = port.
 * Other fields (clusterIP, sessionAffinity, …) are accepted and ignored, as kubectl would show
 * them but the twin does not model them.
 */
import { Schema, SchemaGetter } from "effect";
import type { Service, ServicePort } from "../model/autoscaling-objects.ts";
import { modelOf } from "./codec.ts";
import { opt, PositiveCount, StringMap } from "./fields.ts";
import { NamespacedMeta } from "./object-meta.ts";

const Port = PositiveCount.check(Schema.isLessThanOrEqualTo(65535));

const PortWire = Schema.Struct({
  name: opt(Schema.String),
  port: Port,
  targetPort: opt(Schema.Union([Port, Schema.NonEmptyString])),
  protocol: opt(Schema.Literals(["TCP", "UDP", "SCTP"])),
});

const ServiceWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("v1")),
  kind: opt(Schema.Literal("Service")),
  metadata: NamespacedMeta,
  spec: opt(
    Schema.Struct({
      type: opt(Schema.Literals(["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"])),
      selector: opt(StringMap),
      ports: opt(Schema.Array(PortWire)),
    }),
  ),
});

type ServiceWire = typeof ServiceWire.Type;

function portOf(p: typeof PortWire.Type): ServicePort {
  return { ...(p.name !== undefined ? { name: p.name } : {}), port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? "TCP" };
}

function serviceOf(w: ServiceWire): Service {
  const spec: Service["spec"] = { type: w.spec?.type ?? "ClusterIP", ports: (w.spec?.ports ?? []).map(portOf) };
  if (w.spec?.selector !== undefined) spec.selector = { ...w.spec.selector };
  return { kind: "Service", metadata: w.metadata, spec };
}

export const ServiceCodec = ServiceWire.pipe(
  Schema.decodeTo(modelOf<Service>("a Service", "Service"), {
    decode: SchemaGetter.transform(serviceOf),
    encode: SchemaGetter.transform((s: Service): ServiceWire => ({ apiVersion: "v1", kind: "Service", metadata: s.metadata, spec: s.spec })),
  }),
);
