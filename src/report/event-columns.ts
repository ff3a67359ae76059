/**
 * The event table's data, compact and columnar so that a million records open in a browser:
 * kinds, subjects and payload residuals are dictionary-encoded; times and sequence numbers are
 * delta-encoded; everything is one little-endian binary blob, gzip-compressed and base64-encoded
 * (the page inflates it with the browser's DecompressionStream).
 *
 * Blob layout: u32 headerBytes | header JSON (utf8) | pad to 4 | i32 atMsDelta[n] | i32 seqDelta[n]
 * | u32 subject[n] | u32 payload[n] | u8 kind[n] (high bit: exogenous).
 */
import { gzipSync } from "node:zlib";
import { endianness } from "node:os";
import { assert } from "../model/assert.ts";
import type { LogRecord } from "../log/record.ts";
import { payloadResidualMembers } from "./payload-residual.ts";

export interface EventColumnsHeader {
  count: number;
  kinds: string[];
  subjects: string[];
  payloads: string[];
  /** Payload residuals longer than this many chars were cut (and end with "…"); null: none cut. */
  payloadCapChars: number | null;
  truncatedPayloads: number;
}

export interface EncodedEvents {
  count: number;
  kinds: string[];
  blobBase64: string;
  rawBytes: number;
  truncatedPayloads: number;
}

class GrowableColumn<T extends Int32Array | Uint32Array | Uint8Array> {
  data: T;
  length = 0;
  private readonly make: (n: number) => T;
  constructor(make: (n: number) => T) {
    this.make = make;
    this.data = make(1024);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

function intern(map: Map<string, number>, list: string[], value: string): number {
  let id = map.get(value);
  if (id === undefined) {
    id = list.length;
    map.set(value, id);
    list.push(value);
  }
  return id;
}

const int32Max = 2 ** 31 - 1;
const dedupCharsMax = 160;

export class EventColumnsBuilder {
  private readonly payloadCharsBudget: number;
  private readonly kindIds = new Map<string, number>();
  private readonly kinds: string[] = [];
  private readonly subjectIds = new Map<string, number>();
  private readonly subjects: string[] = [];
  private readonly payloadIds = new Map<string, number>();
  private readonly payloads: string[] = [];
  private readonly atMsDelta = new GrowableColumn((n) => new Int32Array(n));
  private readonly seqDelta = new GrowableColumn((n) => new Int32Array(n));
  private readonly subject = new GrowableColumn((n) => new Uint32Array(n));
  private readonly payload = new GrowableColumn((n) => new Uint32Array(n));
  private readonly kind = new GrowableColumn((n) => new Uint8Array(n));
  private lastAtMs = 0;
  private lastSeq = 0;

  /** `payloadCharsBudget`: the most payload text (UTF-16 chars, before compression) to embed. */
  constructor(options: { payloadCharsBudget: number }) {
    this.payloadCharsBudget = options.payloadCharsBudget;
  }

  add(r: LogRecord): void {
    const dAt = r.atMs - this.lastAtMs;
    const dSeq = r.seq - this.lastSeq;
    assert(Math.abs(dAt) <= int32Max && Math.abs(dSeq) <= int32Max, `event table: step too large at seq ${r.seq}`);
    this.atMsDelta.push(dAt);
    this.seqDelta.push(dSeq);
    this.lastAtMs = r.atMs;
    this.lastSeq = r.seq;
    const kindId = intern(this.kindIds, this.kinds, r.kind);
    assert(kindId < 128, "event table: more than 127 event kinds");
    this.kind.push(kindId | (r.exogenous ? 128 : 0));
    this.subject.push(intern(this.subjectIds, this.subjects, r.subject));
    const residual = payloadResidualMembers(r); // the residual without "{", see finish()
    // long residuals (whole objects) are unique anyway: hashing them would only cost time
    if (residual.length > dedupCharsMax) {
      this.payload.push(this.payloads.length);
      this.payloads.push(residual);
    } else this.payload.push(intern(this.payloadIds, this.payloads, residual));
  }

  finish(): EncodedEvents {
    assert(endianness() === "LE", "event table: the blob layout assumes a little-endian host");
    const whole = this.payloads.map((members) => "{" + members);
    const cap = payloadCapChars(whole, this.payloadCharsBudget);
    let truncated = 0;
    const payloads = cap === null ? whole : whole.map((p) => (p.length > cap ? (truncated++, p.slice(0, cap) + "…") : p));
    const header: EventColumnsHeader = {
      count: this.kind.length,
      kinds: this.kinds,
      subjects: this.subjects,
      payloads,
      payloadCapChars: cap,
      truncatedPayloads: truncated,
    };
    const raw = layoutBlob(header, [this.atMsDelta.view(), this.seqDelta.view(), this.subject.view(), this.payload.view(), this.kind.view()]);
    return {
      count: header.count,
      kinds: this.kinds,
      blobBase64: gzipSync(raw, { level: 1 }).toString("base64"),
      rawBytes: raw.length,
      truncatedPayloads: truncated,
    };
  }
}

/** The largest per-payload length that keeps the total within budget; null when all fit. */
export function payloadCapChars(payloads: readonly string[], budgetChars: number): number | null {
  let total = 0;
  let longest = 0;
  for (const p of payloads) {
    total += p.length;
    if (p.length > longest) longest = p.length;
  }
  if (total <= budgetChars) return null;
  const fits = (cap: number) => payloads.reduce((sum, p) => sum + Math.min(p.length, cap), 0) <= budgetChars;
  let lo = 0;
  let hi = longest;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(lo, 16);
}

function layoutBlob(header: EventColumnsHeader, columns: ArrayBufferView[]): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  const start = 4 + headerBytes.length;
  const padded = Math.ceil(start / 4) * 4;
  const total = padded + columns.reduce((s, c) => s + c.byteLength, 0);
  const out = Buffer.alloc(total);
  out.writeUInt32LE(headerBytes.length, 0);
  headerBytes.copy(out, 4);
  let at = padded;
  for (const c of columns) {
    out.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), at);
    at += c.byteLength;
  }
  return out;
}

/** Node-side decoder (the page has its own): for tests and tools. */
export function decodeEventBlob(blob: Buffer): { header: EventColumnsHeader; atMs: number[]; seq: number[]; subject: Uint32Array; payload: Uint32Array; kind: Uint8Array } {
  const headerLen = blob.readUInt32LE(0);
  const header = JSON.parse(blob.subarray(4, 4 + headerLen).toString("utf8")) as EventColumnsHeader;
  const n = header.count;
  const copy = new Uint8Array(blob).buffer;
  let at = Math.ceil((4 + headerLen) / 4) * 4;
  const take = <T>(make: (buf: ArrayBuffer, off: number, len: number) => T, bytes: number): T => {
    const v = make(copy, at, n);
    at += bytes * n;
    return v;
  };
  const atMsDelta = take((b, o, l) => new Int32Array(b, o, l), 4);
  const seqDelta = take((b, o, l) => new Int32Array(b, o, l), 4);
  const subject = take((b, o, l) => new Uint32Array(b, o, l), 4);
  const payload = take((b, o, l) => new Uint32Array(b, o, l), 4);
  const kind = take((b, o, l) => new Uint8Array(b, o, l), 1);
  return { header, atMs: prefixSums(atMsDelta), seq: prefixSums(seqDelta), subject, payload, kind };
}

function prefixSums(deltas: Int32Array): number[] {
  const out: number[] = [];
  let acc = 0;
  for (const d of deltas) out.push((acc += d));
  return out;
}
