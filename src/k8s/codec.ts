/**
 * How a kind's codec is built: a Kubernetes-shaped schema (the JSON the API server speaks, lenient
 * where kubectl is) piped through `Schema.decodeTo(modelOf(...), { decode, encode })` into the
 * model's own interface. Decoding converts (units, defaults the API server applies); encoding
 * writes the object back. The model side is a declaration: the model's TypeScript types are the
 * contract, checked by the compiler, so at run time it checks only that an object arrived.
 */
import { Schema } from "effect";

/** The model side of a codec (`kind` is checked when the model type has one). */
export function modelOf<T extends object>(expected: string, kind?: string): Schema.declare<T> {
  return Schema.declare<T>(
    (u): u is T => typeof u === "object" && u !== null && !Array.isArray(u) && (kind === undefined || (u as { kind?: unknown }).kind === kind),
    { expected },
  );
}

/** A codec between a model type and its Kubernetes JSON, runnable without services. */
export type Codec<T, E = unknown> = Schema.Codec<T, E, never, never>;

/** One entry of the index (kinds.ts): which apiVersion/kind the codec reads and writes. */
export interface KindCodec<T = unknown> {
  apiVersion: string;
  kind: string;
  /** False for cluster-scoped kinds (Node, PriorityClass, PersistentVolume, Namespace). */
  namespaced: boolean;
  codec: Codec<T>;
}
