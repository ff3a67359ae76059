import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { InvariantError } from "../../src/model/assert.ts";
import { MetricsDigest } from "../../src/log/run-integrity.ts";

/** Series of samples in time order per name, some written twice at the same time (the later value is stored). */
const writes = fc.array(fc.record({ name: fc.constantFrom("a", "b", "workload.ready/x"), stepMs: fc.constantFrom(0, 0, 10_000), value: fc.integer({ min: 0, max: 9 }) }), { maxLength: 60 });

test.prop([writes])("a writer's digest, with rewrites at the same time, equals a reader's over the rows the table keeps", (list) => {
  const writer = new MetricsDigest(true);
  const clock = new Map<string, number>();
  const rows = new Map<string, { name: string; atMs: number; value: number }>();
  for (const w of list) {
    const atMs = (clock.get(w.name) ?? 0) + w.stepMs;
    clock.set(w.name, atMs);
    writer.add(w.name, atMs, w.value);
    rows.set(`${w.name}@${atMs}`, { name: w.name, atMs, value: w.value }); // INSERT OR REPLACE
  }
  const reader = new MetricsDigest(false);
  for (const r of [...rows.values()].reverse()) reader.add(r.name, r.atMs, r.value);
  expect(writer.text()).toBe(reader.text());
});

test("a writer's series going back in time is an invariant violation, not a silently wrong digest", () => {
  const writer = new MetricsDigest(true);
  writer.add("a", 20_000, 1);
  expect(() => writer.add("a", 10_000, 1)).toThrow(InvariantError);
});
