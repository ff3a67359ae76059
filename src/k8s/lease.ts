/**
 * coordination.k8s.io/v1 Lease ↔ the model's Lease (a kubelet's heartbeat: holder, duration and
 * renew time; renewTime is a MicroTime, kept to the millisecond and written with six digits as Go clients parse it).
 */
import { Schema, SchemaGetter } from "effect";
import type { Lease } from "../model/objects.ts";
import { modelOf } from "./codec.ts";
import { Count, opt } from "./fields.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { MicroTimestamp } from "./time.ts";

const LeaseWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("coordination.k8s.io/v1")),
  kind: opt(Schema.Literal("Lease")),
  metadata: NamespacedMeta,
  spec: Schema.Struct({ holderIdentity: opt(Schema.String), leaseDurationSeconds: opt(Count), renewTime: opt(MicroTimestamp) }),
});

type LeaseWireType = typeof LeaseWire.Type;

export const LeaseCodec = LeaseWire.pipe(
  Schema.decodeTo(modelOf<Lease>("a Lease", "Lease"), {
    decode: SchemaGetter.transform((w: LeaseWireType): Lease => ({
      kind: "Lease",
      metadata: w.metadata,
      spec: { holderIdentity: w.spec.holderIdentity ?? "", leaseDurationSeconds: w.spec.leaseDurationSeconds ?? 0, renewTimeMs: w.spec.renewTime ?? w.metadata.creationMs },
    })),
    encode: SchemaGetter.transform((l: Lease): LeaseWireType => ({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: l.metadata,
      spec: { holderIdentity: l.spec.holderIdentity, leaseDurationSeconds: l.spec.leaseDurationSeconds, renewTime: l.spec.renewTimeMs },
    })),
  }),
);
