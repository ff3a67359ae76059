/**
 * Running a schema or a codec: decode answers the value or the first problem (never throws);
 * encode answers the Kubernetes JSON of a model object.
 *
 * Kubernetes objects are decoded leniently, as the API server reads them: unknown fields are
 * ignored (real manifests carry probes, env, securityContext… that the twin does not model) and
 * `field: null` reads as an absent field. `exact` is for documents of our own (scenario files), where
 * a field the schema does not name is a typo.
 */
import { Result, Schema } from "effect";
import { problemOfIssue } from "./problem.ts";
import type { CodecProblem } from "./problem.ts";

export type Decoded<T> = Result.Result<T, CodecProblem>;

type Runnable = Schema.Top & { readonly DecodingServices: never; readonly EncodingServices: never };

export function decodeValue<S extends Runnable>(schema: S, value: unknown, options: { exact: boolean }): Decoded<S["Type"]> {
  const decoded = Schema.decodeUnknownResult(schema, { onExcessProperty: options.exact ? "error" : "ignore", errors: "first" })(value);
  return Result.isSuccess(decoded) ? Result.succeed(decoded.success) : Result.fail(problemOfIssue(decoded.failure.issue, value));
}

/** A Kubernetes object (or part of one) as plain JSON-like data → the model. */
export function decodeObject<S extends Runnable>(codec: S, raw: unknown): Decoded<S["Type"]> {
  return decodeValue(codec, withoutNulls(raw), { exact: false });
}

/**
 * A model object → its Kubernetes JSON. A model object the codec cannot write is a bug in the
 * twin, not bad input: this throws.
 */
export function encodeObject<S extends Runnable>(codec: S, object: S["Type"]): S["Encoded"] {
  const encoded = Schema.encodeUnknownResult(codec, { errors: "first" })(withoutUndefined(object));
  if (Result.isSuccess(encoded)) return encoded.success;
  const problem = problemOfIssue(encoded.failure.issue, object);
  throw new Error(`cannot encode: ${problem.path.join(".")}: ${problem.message}`);
}

/** Kubernetes reads `field: null` as an absent field. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== null) out[key] = withoutNulls(v);
  return out;
}

/** Model objects may hold `field: undefined`, which means the field is absent. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = withoutUndefined(v);
  return out;
}
