import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { MemoryStorage, TERM_COMPACTED, TERM_UNAVAILABLE } from "../../src/raft/storage.ts";
import type { Entry } from "../../src/raft/types.ts";

type Op = { t: "append"; at: number; terms: number[] } | { t: "compact"; at: number };

describe("MemoryStorage against a naive map", () => {
  test.prop([fc.array(fc.oneof(fc.record({ at: fc.nat(30), terms: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 }) }).map((r) => ({ t: "append", ...r }) as Op), fc.nat(30).map((at) => ({ t: "compact", at }) as Op)), { maxLength: 60 })], { numRuns: 3000 })(
    "append truncates conflicting suffixes, compact keeps the term of the compaction point",
    (ops) => {
      const storage = new MemoryStorage();
      const naive = new Map<number, number>([[0, 0]]);
      let first = 1;
      let last = 0;
      for (const op of ops) {
        if (op.t === "append") {
          const at = Math.max(first, Math.min(op.at, last + 1)); // no gaps; compacted part skipped
          const entries: Entry[] = op.terms.map((term, i) => ({ term, index: at + i, type: "normal", data: "" }));
          storage.append(entries);
          for (let i = at; i <= last; i++) naive.delete(i);
          entries.forEach((e) => naive.set(e.index, e.term));
          last = at + entries.length - 1;
        } else {
          if (op.at < first || op.at > last) continue;
          storage.compact(op.at);
          for (let i = first - 1; i < op.at; i++) naive.delete(i);
          first = op.at + 1;
        }
        expect(storage.firstIndex()).toBe(first);
        expect(storage.lastIndex()).toBe(last);
        for (let i = first - 1; i <= last; i++) expect(storage.term(i)).toBe(naive.get(i));
        expect(storage.term(last + 1)).toBe(TERM_UNAVAILABLE);
        if (first > 1) expect(storage.term(first - 2)).toBe(TERM_COMPACTED);
      }
    },
  );

  test("entries respects the size limit but returns at least one entry", () => {
    const storage = new MemoryStorage();
    storage.append([1, 2, 3].map((i) => ({ term: 1, index: i, type: "normal" as const, data: "x".repeat(10) })));
    expect(storage.entries(1, 4, 0).length).toBe(1);
    expect(storage.entries(1, 4, 52).length).toBe(2); // 26 bytes each
    expect(storage.entries(1, 4).length).toBe(3);
  });
});
