/**
 * The documents of one manifest file, each checked to look like a Kubernetes object before
 * anything in it is shown: a path may name any file (a secret, by mistake), so a document that is
 * not a mapping with a `kind` is refused without quoting a word of it. The scenario file itself
 * gets the same first look (`notAnObject`).
 */
import { Result } from "effect";
import type { FilePlace, ManifestFiles } from "./manifest-files.ts";
import { problemAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";
import { parseYamlDocuments } from "./yaml-source.ts";
import type { SourceDoc } from "./yaml-source.ts";

/** `site`: where the path was written (read errors go there); `sources` collects what was read. */
export function manifestDocsOf(place: FilePlace, files: ManifestFiles, site: Site, sources: { path: string; text: string }[]): Checked<SourceDoc[]> {
  return Result.gen(function* () {
    const read = files.read(place.readPath);
    if ("error" in read) return yield* Result.fail(problemAt(site, `cannot read manifest file ${place.shownPath}: ${read.error}`));
    sources.push({ path: place.written, text: read.text });
    const docs = parseYamlDocuments(read.text, place.shownPath);
    if (!Array.isArray(docs)) return yield* Result.fail(docs);
    for (const doc of docs) {
      const found = notAnObject(doc.value, ["kind"]);
      if (found !== undefined) return yield* Result.fail(problemAt({ doc, path: [] }, `not a Kubernetes manifest: expected a mapping with apiVersion and kind, found ${found}`));
    }
    return docs;
  });
}

/**
 * What a document is, in a word, when it is not a mapping holding a string under one of `keys`
 * ("a string", "a list", "a mapping without apiVersion or kind"); undefined when it is one.
 */
export function notAnObject(value: unknown, keys: readonly string[]): string | undefined {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value !== "object") return `a ${typeof value}`;
  const record = value as Record<string, unknown>;
  return keys.some((k) => typeof record[k] === "string") ? undefined : `a mapping without ${keys.join(" or ")}`;
}
