/** How `main` maps failures to exit codes and messages (without spawning a process). */
import { afterEach, describe, expect, test, vi } from "vitest";
import { InternalError, InvariantBroken, UsageError, exitCodeOf, formatCliError, toCliError } from "../../src/cli/exit-codes.ts";
import { InvariantError } from "../../src/model/assert.ts";
import { main, registerCommand } from "../../src/cli/main.ts";

afterEach(() => vi.restoreAllMocks());

function captureStderr(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

describe("exit codes", () => {
  test("a broken invariant exits 3 and prints seed, time, the last records and the command that reproduces it", async () => {
    const run = { seed: 17, variant: "binpack", command: "npx kubetwin run scenarios/x.yaml --seed 17 --variant binpack" };
    const last = [{ seq: 41, atMs: 61_000, kind: "PodBound" as const, subject: "pod/a/b", payload: "{}", exogenous: false }];
    registerCommand("boom-invariant", {
      help: "",
      summary: "",
      run: () => {
        throw new InvariantBroken("node n1 overcommitted", run, last);
      },
    });
    const err = captureStderr();
    expect(await main(["boom-invariant"])).toBe(3);
    const text = err.join("");
    expect(text).toMatch(/INVARIANT BROKEN: node n1 overcommitted/);
    expect(text).toMatch(/seed 17, variant binpack, virtual time 1m1s/);
    expect(text).toMatch(/#41 1m1s PodBound pod\/a\/b/);
    expect(text).toMatch(/reproduce with: npx kubetwin run scenarios\/x\.yaml --seed 17 --variant binpack/);
  });

  test("bad input exits 2 with one line", async () => {
    registerCommand("boom-usage", { help: "", summary: "", run: () => { throw new UsageError("spec.seed: expected an integer"); } });
    const err = captureStderr();
    expect(await main(["boom-usage"])).toBe(2);
    expect(err.join("")).toBe("kubetwin: spec.seed: expected an integer\n");
  });

  test("any other error is an internal error (exit 4) with its message and no stack trace", async () => {
    registerCommand("boom-bug", { help: "", summary: "", run: () => { throw new TypeError("a real bug"); } });
    const err = captureStderr();
    expect(await main(["boom-bug"])).toBe(4);
    const text = err.join("");
    expect(text).toMatch(/INTERNAL ERROR .*TypeError: a real bug/);
    expect(text).not.toMatch(/\n\s+at /);
  });

  test("every error is classified by its tag into exactly one exit code", () => {
    expect(exitCodeOf(toCliError(new UsageError("x")))).toBe(2);
    expect(exitCodeOf(toCliError(new InvariantError("x")))).toBe(3);
    expect(exitCodeOf(toCliError(new RangeError("x")))).toBe(4);
    expect(exitCodeOf(toCliError("a thrown string"))).toBe(4);
    expect(toCliError(new InternalError(new Error("y")))._tag).toBe("InternalError");
  });

  test("the database or the disk saying no is not called a bug", () => {
    const withCode = (code: string, message: string) => Object.assign(new Error(message), { code });
    const locked = toCliError(withCode("SQLITE_BUSY", "database is locked"));
    expect(exitCodeOf(locked)).toBe(2);
    expect(formatCliError(locked, false)).toBe("kubetwin: the event log is locked by another process (database is locked)\n");
    expect(exitCodeOf(toCliError(withCode("SQLITE_READONLY", "attempt to write a readonly database")))).toBe(2);
    const run = { seed: 3, variant: "baseline", command: "npx kubetwin run s.yaml --seed 3 --variant baseline" };
    const full = toCliError(withCode("SQLITE_FULL", "database or disk is full"), run);
    expect(exitCodeOf(full)).toBe(4);
    const text = formatCliError(full, false);
    expect(text).toMatch(/^kubetwin: disk full: database or disk is full\n/);
    expect(text).not.toMatch(/a bug/);
    expect(text).toContain("reproduce with: npx kubetwin run s.yaml --seed 3 --variant baseline");
  });
});
