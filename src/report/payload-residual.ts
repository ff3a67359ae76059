/**
 * What the event table shows as a record's payload: the canonical JSON without the fields its kind
 * and subject columns already show (the top-level `kind`, and a `key`/`name`/`target` equal to the
 * subject's key). Pod events then shrink to `{"nodeName":"n7"}` or `{}`, and repeat, so the table's
 * payload dictionary stays small. Works on the text; only ever removes a top-level field.
 */
import type { LogRecord } from "../log/record.ts";

const scanCharsMax = 4096;

/** Depth of nesting at `end` (1 = inside the top-level object), or -1 if inside a string or too far. */
function depthAt(json: string, end: number): number {
  if (end > scanCharsMax) return -1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < end; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped char
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
  }
  return inString ? -1 : depth;
}

/** Removes `"field":valueJson` when it is a whole top-level member of the object `json`. */
export function stripTopLevelField(json: string, field: string, valueJson: string): string {
  const needle = `${JSON.stringify(field)}:${valueJson}`;
  for (let at = json.indexOf(needle); at >= 0; at = json.indexOf(needle, at + 1)) {
    const before = json[at - 1];
    const after = json[at + needle.length];
    if (!(before === "{" || before === ",") || !(after === "," || after === "}")) continue;
    if (depthAt(json, at) !== 1) continue;
    if (after === ",") return json.slice(0, at) + json.slice(at + needle.length + 1);
    if (before === ",") return json.slice(0, at - 1) + json.slice(at + needle.length);
    return json.slice(0, at) + json.slice(at + needle.length);
  }
  return json;
}

/** "pod/ns/name" → "ns/name"; "node/n1" → "n1"; a subject without a slash is its own key. */
export function subjectKey(subject: string): string {
  const slash = subject.indexOf("/");
  return slash < 0 ? subject : subject.slice(slash + 1);
}

export function payloadResidual(record: Pick<LogRecord, "kind" | "subject" | "payload">): string {
  return "{" + payloadResidualMembers(record);
}

/**
 * The residual without its opening brace. On the common path this is a slice of the payload (no
 * copy, cheap to hash), which is why the event table interns this form.
 */
export function payloadResidualMembers(record: Pick<LogRecord, "kind" | "subject" | "payload">): string {
  const fast = leadingFieldsMembers(record);
  if (fast !== undefined) return fast;
  return generalResidual(record).slice(1);
}

function generalResidual(record: Pick<LogRecord, "kind" | "subject" | "payload">): string {
  let json = stripTopLevelField(record.payload, "kind", JSON.stringify(record.kind));
  const key = JSON.stringify(subjectKey(record.subject));
  json = stripTopLevelField(json, "key", key);
  json = stripTopLevelField(json, "name", key);
  json = stripTopLevelField(json, "target", JSON.stringify(record.subject));
  return json;
}

const kindMembers = new Map<string, string>();

function kindMemberOf(kind: string): string {
  let m = kindMembers.get(kind);
  if (m === undefined) {
    m = `"kind":${JSON.stringify(kind)}`;
    kindMembers.set(kind, m);
  }
  return m;
}

/**
 * The common shapes, by prefix alone: canonical JSON sorts keys, so a pod event starts
 * `{"key":K,"kind":T` and a node event `{"kind":T,"name":N`. Undefined when neither fits.
 */
function leadingFieldsMembers(record: Pick<LogRecord, "kind" | "subject" | "payload">): string | undefined {
  const p = record.payload;
  const kindMember = kindMemberOf(record.kind);
  let at: number;
  if (p.startsWith('{"key":')) {
    const expected = `{"key":${JSON.stringify(subjectKey(record.subject))},${kindMember}`;
    if (!p.startsWith(expected) || p.startsWith(',"name":', expected.length)) return undefined;
    at = expected.length;
  } else if (p.startsWith(kindMember, 1)) {
    at = 1 + kindMember.length;
    const nameMember = `,"name":${JSON.stringify(subjectKey(record.subject))}`;
    if (p.startsWith(nameMember, at)) at += nameMember.length;
    else if (p.startsWith(',"key":', at)) return undefined;
  } else return undefined;
  const next = p.charCodeAt(at);
  if (next === 125 /* } */) return "}";
  if (next !== 44 /* , */ || p.includes('"target":', at)) return undefined;
  return p.slice(at + 1);
}
