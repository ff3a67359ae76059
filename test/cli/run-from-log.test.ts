/**
 * `kubetwin run --from-log DB --run ID [--variant NAME]`: a logged run's stored plan made into a
 * new run. Under its own variant the new run is the recorded one (same fingerprint); under
 * another it is the run that variant gives from the scenario file (same exogenous world, every
 * decision afresh) — pdb-budget's `spread` variant changes the world (workloads and budgets).
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { exitBadInput, exitInvariantBroken } from "../../src/cli/exit-codes.ts";
import { reproduceCommand } from "../../src/cli/reproduce.ts";
import { expectCleanExit, runKubetwin } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-from-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenario = "scenarios/pdb-budget.yaml";
const db = (name: string) => join(dir, name);

function run(args: string[]) {
  const r = runKubetwin(["run", "--no-progress", ...args]);
  expectCleanExit(r, args.join(" "));
  return r;
}

function digest(path: string, runId: number): string {
  const r = runKubetwin(["digest", path, "--run", String(runId)]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe("run --from-log", () => {
  run([scenario, "--variant", "spread", "--seed", "7", "--db", db("recorded.db")]);
  run([scenario, "--seed", "7", "--db", db("direct.db")]);

  test("the run's own variant and seed, by default, give the recorded fingerprint", () => {
    const r = run(["--from-log", db("recorded.db"), "--db", db("again.db")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("run 1 (pdb-budget, variant spread, seed 7)");
    expect(digest(db("again.db"), 1)).toBe(digest(db("recorded.db"), 1));
  });

  test("another variant of the stored plan gives the run that variant gives from the file", () => {
    const r = run(["--from-log", db("recorded.db"), "--run", "1", "--variant", "baseline", "--db", db("other.db")]);
    expect(r.code, r.stderr).toBe(0);
    expect(digest(db("other.db"), 1)).toBe(digest(db("direct.db"), 1));
    expect(digest(db("other.db"), 1)).not.toBe(digest(db("recorded.db"), 1));
  });

  test("an unknown variant, a scenario file beside --from-log, and --run without it are bad input", () => {
    const unknown = run(["--from-log", db("recorded.db"), "--variant", "nope", "--no-db"]);
    expect(unknown.code).toBe(exitBadInput);
    expect(unknown.stderr).toContain('unknown variant "nope" in pdb-budget (known: baseline, budget, spread)');
    const both = run([scenario, "--from-log", db("recorded.db"), "--no-db"]);
    expect(both.code).toBe(exitBadInput);
    expect(both.stderr).toContain("drop the scenario file");
    const alone = run([scenario, "--run", "1", "--no-db"]);
    expect(alone.code).toBe(exitBadInput);
    expect(alone.stderr).toContain("--run names a logged run: it needs --from-log DB");
  });

  test("a run without a stored plan is refused with exit 2, an edited plan with exit 3", () => {
    const copy = db("damaged.db");
    run([scenario, "--seed", "7", "--db", copy]);
    const sql = new Database(copy);
    sql.prepare("UPDATE plans SET plan = replace(plan, '\"seed\":3', '\"seed\":4')").run();
    expect(sql.prepare("SELECT plan FROM plans").pluck().get() as string).toContain('"seed":4');
    sql.close();
    const edited = run(["--from-log", copy, "--no-db"]);
    expect(edited.code).toBe(exitInvariantBroken);
    expect(edited.stderr).toMatch(/run 1: its plan does not match its digest/);

    const bare = new Database(copy);
    bare.prepare("DELETE FROM run_plans").run();
    bare.close();
    const none = run(["--from-log", copy, "--no-db"]);
    expect(none.code).toBe(exitBadInput);
    expect(none.stderr).toContain("run 1 has no stored plan");
  });
});

describe("reproduce commands", () => {
  test("name the plan's source: a scenario file, or the logged run it came from", () => {
    expect(reproduceCommand(["my scenarios/x.yaml"], 3, "spread")).toBe("npx kubetwin run 'my scenarios/x.yaml' --seed 3 --variant spread");
    expect(reproduceCommand(["--from-log", "runs.db", "--run", "12"], 3, "baseline", 500)).toBe("npx kubetwin run --from-log runs.db --run 12 --seed 3 --variant baseline --steps-max 500");
  });
});
