/**
 * Decoding at a place in a document: the codec's problem (a path inside the decoded value, what was
 * expected and what was found) becomes a Problem at the document's path, which yaml-source.ts
 * turns into a file, line and column.
 */
import { Result, Schema } from "effect";
import { decodeValue } from "../k8s/decode.ts";
import type { Decoded } from "../k8s/decode.ts";
import type { Segment } from "./error.ts";
import type { Failure, Problem, SourceDoc } from "./yaml-source.ts";

/** A place in a document: the document and the path from its root. */
export interface Site {
  doc: SourceDoc;
  path: Segment[];
}

export function siteAt(site: Site, ...segments: Segment[]): Site {
  return { doc: site.doc, path: [...site.path, ...segments] };
}

export function problemAt(site: Site, message: string, pointAt: "key" | "value" = "value"): Problem {
  return { doc: site.doc, path: site.path, message, pointAt };
}

export type Checked<T> = Result.Result<T, Failure>;

/** A decode result of the value found at `site`, with its problem placed in the document. */
export function atSite<T>(decoded: Decoded<T>, site: Site): Checked<T> {
  return Result.mapError(decoded, (p) => ({ doc: site.doc, path: [...site.path, ...p.path], message: p.message, pointAt: p.pointAt }));
}

/**
 * `exact` rejects fields the schema does not name (scenario documents); Kubernetes manifests go
 * through the codec (manifest.ts), which ignores fields the twin does not model.
 */
export function decodeAt<S extends Schema.Top & { readonly DecodingServices: never; readonly EncodingServices: never }>(
  schema: S,
  value: unknown,
  site: Site,
  exact: boolean,
): Checked<S["Type"]> {
  return atSite(decodeValue(schema, value, { exact }), site);
}

/** The tail of a "no such name" message: the names that do exist (at most 8 shown). */
export function known(names: ReadonlySet<string>): string {
  const sorted = [...names].sort();
  if (sorted.length === 0) return " (there are none)";
  const shown = sorted.slice(0, 8).join(", ");
  return `; known: ${shown}${sorted.length > 8 ? `, … (${sorted.length} in all)` : ""}`;
}
