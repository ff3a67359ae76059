/** core/v1 Namespace ↔ the model's Namespace (a name; terminating once deletionTimestamp is set). */
import { Schema, SchemaGetter } from "effect";
import type { Namespace } from "../model/objects.ts";
import { modelOf } from "./codec.ts";
import { opt } from "./fields.ts";
import { ClusterMeta } from "./object-meta.ts";
import { invalidValue, isDNS1123Label } from "./object-names.ts";
import { issueAt } from "./problem.ts";

const NamespaceWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("v1")),
  kind: opt(Schema.Literal("Namespace")),
  metadata: ClusterMeta,
}).check(
  // ValidateNamespace: a Namespace's name is a DNS-1123 label, stricter than other objects' names.
  Schema.makeFilter((w) => {
    const errs = isDNS1123Label(w.metadata.name);
    return errs.length === 0 || issueAt(["metadata", "name"], invalidValue(w.metadata.name, errs));
  }),
);

export const NamespaceCodec = NamespaceWire.pipe(
  Schema.decodeTo(modelOf<Namespace>("a Namespace", "Namespace"), {
    decode: SchemaGetter.transform((w: typeof NamespaceWire.Type): Namespace => ({ kind: "Namespace", metadata: w.metadata })),
    encode: SchemaGetter.transform((ns: Namespace): typeof NamespaceWire.Type => ({ apiVersion: "v1", kind: "Namespace", metadata: ns.metadata })),
  }),
);
