/**
 * YAML text → plain values that remember where they came from: each document keeps its node tree
 * and a line counter, so an error found later at a path (`spec.faults[2].at`) can be mapped back
 * to a line and column of the file.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from "yaml";
import type { Document } from "yaml";
import { formatPath } from "./error.ts";
import type { ScenarioError, Segment } from "./error.ts";

export interface Position {
  line: number;
  column: number;
}

/** Point at a mapping key (for "unknown field") or at the value under it (everything else). */
export type PointAt = "key" | "value";

export interface SourceDoc {
  /** The file name as shown in messages. */
  file: string;
  /** The document as plain JSON-like data. */
  value: unknown;
  /** Prefix shown before paths, e.g. `documents[2]` in a multi-document manifest file. */
  shownPrefix: Segment[];
  locate(path: readonly Segment[], pointAt: PointAt): Position | undefined;
}

/** A problem found at a place in a document; becomes a ScenarioError with a line and column. */
export interface Problem {
  doc: SourceDoc;
  path: Segment[];
  message: string;
  pointAt?: PointAt;
}

/** What goes wrong while loading: a problem at a path, or an error already placed (YAML syntax). */
export type Failure = Problem | ScenarioError;

export function toScenarioError(f: Failure): ScenarioError {
  if (!("doc" in f)) return f;
  const p = f;
  const pos = p.doc.locate(p.path, p.pointAt ?? "value");
  const path = formatPath([...p.doc.shownPrefix, ...p.path]);
  return pos ? { file: p.doc.file, line: pos.line, column: pos.column, path, message: p.message } : { file: p.doc.file, path, message: p.message };
}

const aliasCountMax = 100;

/**
 * Parses every document of a YAML stream. Empty documents (a trailing `---`, a document of comments
 * only, or `null`) are dropped, as kubectl drops them (cli-runtime pkg/resource/visitor.go,
 * StreamVisitor.Visit: `len(ext.Raw) == 0 || bytes.Equal(ext.Raw, []byte("null"))`).
 * The first syntax error of the stream is the answer when there is one; its message never quotes
 * the text (the file may be anything: a secret named by mistake).
 */
export function parseYamlDocuments(text: string, file: string): SourceDoc[] | ScenarioError {
  const lineCounter = new LineCounter();
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  // logLevel "error": the yaml package would otherwise print its warnings on the process.
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: "error" });
  const parsed: { doc: Document.Parsed; value: unknown }[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) return { file, ...at(error.pos[0]), path: "", message: `invalid YAML: ${withoutSource(error.message, error.code)}` };
    if (doc.contents === null) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: aliasCountMax });
    } catch (e) {
      return { file, path: "", message: `invalid YAML: ${withoutSource(e instanceof Error ? e.message : String(e))}` };
    }
    if (value !== null) parsed.push({ doc, value });
  }
  const many = parsed.length > 1;
  return parsed.map(({ doc, value }, index) => ({
    file,
    value,
    shownPrefix: many ? ["documents", index] : [],
    locate: (path, pointAt) => {
      const offset = offsetOf(doc, path, pointAt);
      return offset === undefined ? undefined : at(offset);
    },
  }));
}

/**
 * The first line of a yaml error, without the piece of the text a few messages quote (a tag's
 * name, an escape sequence, the rest of a block scalar header): the file may be anything.
 */
function withoutSource(message: string, code?: string): string {
  if (code === "TAG_RESOLVE_FAILED") return "Unresolved tag";
  if (code === "BAD_DQ_ESCAPE") return "Invalid escape sequence";
  if (code === "BAD_COLLECTION_TYPE") return "A tag names the wrong collection type";
  const line = message.split("\n")[0]?.trim() ?? message;
  const quoting = "Block scalar header includes extra characters";
  return line.startsWith(quoting) ? quoting : line;
}

type AnyNode = unknown;

function startOf(node: AnyNode): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}

function keyText(key: AnyNode): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

/** Walks the node tree along `path`; answers the offset of the deepest node that exists. */
function offsetOf(doc: Document.Parsed, path: readonly Segment[], pointAt: PointAt): number | undefined {
  let node: AnyNode = doc.contents;
  let offset = startOf(node);
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const segment = path[i];
    const isLast = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(segment));
      if (!pair) return offset;
      const valueStart = startOf(pair.value);
      if ((isLast && pointAt === "key") || valueStart === undefined) return startOf(pair.key) ?? offset;
      node = pair.value;
      offset = valueStart;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      const itemStart = startOf(item);
      if (itemStart === undefined) return offset;
      node = item;
      offset = itemStart;
    } else {
      return offset;
    }
  }
  return offset;
}
