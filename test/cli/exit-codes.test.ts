/** How `main` maps failures to exit codes and messages (without spawning a process). */
import { afterEach, describe, expect, test, vi } from "vitest";
import { InvariantError } from "../../src/model/assert.ts";
import { RunInvariantError } from "../../src/cli/execute-run.ts";
import { UsageError } from "../../src/cli/exit-codes.ts";
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
    const options = { plan: {} as never, scenarioFile: "scenarios/x.yaml", seed: 17, variant: "binpack" };
    const last = [{ seq: 41, atMs: 61_000, kind: "PodBound" as const, subject: "pod/a/b", payload: "{}", exogenous: false }];
    registerCommand("boom-invariant", {
      help: "",
      summary: "",
      run: () => {
        throw new RunInvariantError(new InvariantError("node n1 overcommitted"), options, last);
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

  test("any other error is not swallowed", async () => {
    registerCommand("boom-bug", { help: "", summary: "", run: () => { throw new TypeError("a real bug"); } });
    await expect(main(["boom-bug"])).rejects.toThrow("a real bug");
  });
});
