import { fc, test } from "@fast-check/vitest";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/model/canonical.ts";
import type { LogRecord } from "../../src/log/record.ts";
import { decodeEventBlob, EventColumnsBuilder, payloadCapChars } from "../../src/report/event-columns.ts";
import { payloadResidual } from "../../src/report/payload-residual.ts";

const kinds = ["PodCreated", "PodBound", "PodRunning", "Fault", "MachineDown"] as const;

const recordsArb = fc
  .array(
    fc.record({
      dt: fc.integer({ min: 0, max: 100_000 }),
      kind: fc.constantFrom(...kinds),
      pod: fc.integer({ min: 0, max: 30 }),
      note: fc.string({ maxLength: 40 }),
      exogenous: fc.boolean(),
    }),
    { maxLength: 200 },
  )
  .map((rows) => {
    let atMs = 0;
    return rows.map((r, seq): LogRecord => {
      atMs += r.dt;
      const key = `ns/p${r.pod}`;
      return { seq, atMs, kind: r.kind, subject: `pod/${key}`, payload: canonicalJson({ kind: r.kind, key, note: r.note }), exogenous: r.exogenous };
    });
  });

function roundTrip(records: LogRecord[], budget: number) {
  const b = new EventColumnsBuilder({ payloadCharsBudget: budget });
  for (const r of records) b.add(r);
  const encoded = b.finish();
  return { encoded, decoded: decodeEventBlob(gunzipSync(Buffer.from(encoded.blobBase64, "base64"))) };
}

describe("columnar event table", () => {
  test.prop([recordsArb])("decodes to the same records (payloads as residuals)", (records) => {
    const { encoded, decoded } = roundTrip(records, 1e9);
    expect(encoded.count).toBe(records.length);
    expect(decoded.header.truncatedPayloads).toBe(0);
    records.forEach((r, i) => {
      expect(decoded.seq[i]).toBe(r.seq);
      expect(decoded.atMs[i]).toBe(r.atMs);
      expect(decoded.header.kinds[(decoded.kind[i] as number) & 127]).toBe(r.kind);
      expect(((decoded.kind[i] as number) & 128) !== 0).toBe(r.exogenous);
      expect(decoded.header.subjects[decoded.subject[i] as number]).toBe(r.subject);
      expect(decoded.header.payloads[decoded.payload[i] as number]).toBe(payloadResidual(r));
    });
  });

  test.prop([fc.array(fc.string({ maxLength: 300 }), { maxLength: 60 }), fc.integer({ min: 0, max: 5000 })])(
    "the payload cap keeps the embedded text within budget (or at the 16-char floor)",
    (payloads, budget) => {
      const cap = payloadCapChars(payloads, budget);
      const total = payloads.reduce((s, p) => s + Math.min(p.length, cap ?? Infinity), 0);
      if (cap === null) expect(total).toBeLessThanOrEqual(budget);
      else if (cap > 16) {
        expect(total).toBeLessThanOrEqual(budget);
        expect(payloads.reduce((s, p) => s + Math.min(p.length, cap + 1), 0)).toBeGreaterThan(budget);
      }
    },
  );

  it("cuts long payloads with an ellipsis when over budget and counts them", () => {
    const records: LogRecord[] = Array.from({ length: 50 }, (_, seq) => ({
      seq,
      atMs: seq * 10,
      kind: "PodCreated",
      subject: `pod/ns/p${seq}`,
      payload: canonicalJson({ kind: "PodCreated", pod: { name: `p${seq}`, padding: "x".repeat(500) } }),
      exogenous: false,
    }));
    const { encoded, decoded } = roundTrip(records, 2000);
    expect(encoded.truncatedPayloads).toBe(50);
    expect(decoded.header.payloads.every((p) => p.endsWith("…") && p.length <= 41)).toBe(true);
  });
});
