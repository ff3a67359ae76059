/**
 * The text of a state snapshot: exactly `JSON.stringify(snapshot)`, built from per-object texts
 * kept across snapshots. Between two snapshots of a big cluster most objects are unchanged, and
 * re-serializing all of them was the largest single cost of a run (issue #12: ~8% of the 1,000-node
 * headline run). An object's text is reused while it is the same object with the same
 * resourceVersion: evolve (src/model/evolve.ts) is the one place state changes and bumps the
 * resourceVersion of every object it touches, so an unchanged version means unchanged content.
 */
import type { StateSnapshot } from "../model/state.ts";

interface Kept {
  readonly version: number;
  readonly text: string;
}

export class SnapshotText {
  private readonly kept = new WeakMap<object, Kept>();

  /** `JSON.stringify(snapshot)`, character for character. */
  of(snapshot: StateSnapshot): string {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(snapshot)) {
      if (value === undefined) continue;
      const text = Array.isArray(value) ? this.arrayText(value) : JSON.stringify(value);
      parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(",")}}`;
  }

  private arrayText(items: readonly unknown[]): string {
    const parts = new Array<string>(items.length);
    for (let i = 0; i < items.length; i++) parts[i] = this.itemText(items[i]);
    return `[${parts.join(",")}]`;
  }

  private itemText(item: unknown): string {
    const version = versionOf(item);
    if (version === undefined) return JSON.stringify(item) ?? "null";
    const object = item as object;
    const kept = this.kept.get(object);
    if (kept !== undefined && kept.version === version) return kept.text;
    const text = JSON.stringify(object);
    this.kept.set(object, { version, text });
    return text;
  }
}

/** The resourceVersion of a stored object; undefined for anything else (strings, unversioned objects). */
function versionOf(item: unknown): number | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const metadata = (item as { metadata?: { resourceVersion?: unknown } }).metadata;
  const version = metadata?.resourceVersion;
  return typeof version === "number" ? version : undefined;
}
