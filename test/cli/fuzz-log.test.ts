/**
 * Damaged event logs at digest, replay and report: a valid log with bytes overwritten or cut
 * short. Whatever the damage, the CLI answers with an exit code in {0, 1, 2, 3} (a log it cannot
 * trust is bad input or a broken invariant, never an internal error), no stack trace, no report
 * written on exit 2, within a bounded heap. Seeded by fast-check.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { expectCleanExit, runKubetwin } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-fuzz-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const heap = ["--max-old-space-size=384"];


describe("fuzz: damaged event logs at digest, replay and report", () => {
  const good = join(dir, "good.db");
  const made = runKubetwin(["run", "scenarios/quickstart.yaml", "--db", good]);

  test("exit 0–3, no stack trace, bounded heap, and no report written on exit 2", () => {
    expect(made.code).toBe(0);
    const bytes = readFileSync(good);
    let n = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ kind: fc.constant("overwrite" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }), byte: fc.integer({ min: 0, max: 255 }) }),
          fc.record({ kind: fc.constant("truncate" as const), at: fc.nat(), length: fc.constant(0), byte: fc.constant(0) }),
        ),
        fc.constantFrom("digest", "replay", "report"),
        (damage, command) => {
          const db = join(dir, `d${n}.db`);
          const out = join(dir, `d${n}.html`);
          n++;
          copyFileSync(good, db);
          const damaged = Buffer.from(bytes);
          const at = damage.at % bytes.length;
          const cut = damage.kind === "truncate" ? damaged.subarray(0, at) : damaged.fill(damage.byte, at, Math.min(bytes.length, at + damage.length));
          writeFileSync(db, cut);
          const args = command === "digest" ? ["digest", db] : command === "replay" ? ["replay", db, "--at", "30m"] : ["report", db, "--out", out];
          const r = runKubetwin(args, { nodeArgs: heap, cwd: dir });
          expectCleanExit(r, `${command} after ${JSON.stringify(damage)} of ${bytes.length} bytes`);
          if (r.code === 2) expect(existsSync(out)).toBe(false);
        },
      ),
      { numRuns: 30 },
    );
  });
});
