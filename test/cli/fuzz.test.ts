/**
 * Hostile input at every command: random mutations of a valid scenario and of valid explain inputs (bytes flipped, lines cut
 * or repeated, values replaced by huge, negative or odd ones; fuzz-log.test.ts does the same to
 * event logs). Whatever comes in, the CLI answers with an exit code in
 * {0, 1, 2, 3}, never a stack trace, writes nothing when it refuses the input (exit 2), and stays
 * within a bounded heap (node's --max-old-space-size: a runaway allocation would kill it).
 * Seeded by fast-check: a failure prints the seed and the shrunk input.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { expectCleanExit, repoRoot, runKubetwin } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const heap = ["--max-old-space-size=384"];
const valid = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: fuzz}
spec:
  duration: 10m
  seed: 3
  cluster:
    nodePools:
      - {name: p, count: 3, zones: [a, b], allocatable: {cpu: 2, memory: 4Gi, pods: 20}}
  workloads:
    - inline:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 4
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: c, image: x, resources: {requests: {cpu: 250m, memory: 128Mi}}}]}
  faults:
    - {at: 2m, type: NodeCrash, pool: p, index: 0}
  expectations:
    - {name: ready, converged: {workload: "*"}}
  variants:
    packed: {parameters: {scheduler: {scoringStrategy: MostAllocated}}}
`;


const oddValues = ["99999999h", "-1", "1e308", "0", "10000000", "NaN", "[]", "{}", "null", '"\\u001b[31m"', "~", "0x10", "1.5.5", "&a", "*a", "!!binary AAAA"];

/** A mutation of the valid scenario text. */
const scenarioText: fc.Arbitrary<string> = fc.oneof(
  fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }).map(({ at, byte }) => {
    const i = at % valid.length;
    return valid.slice(0, i) + String.fromCharCode(byte) + valid.slice(i + 1);
  }),
  fc.nat().map((at) => valid.slice(0, at % valid.length)),
  fc.record({ line: fc.nat(), times: fc.integer({ min: 0, max: 3 }) }).map(({ line, times }) => {
    const lines = valid.split("\n");
    const i = line % lines.length;
    return [...lines.slice(0, i), ...Array.from({ length: times }, () => lines[i]), ...lines.slice(i + 1)].join("\n");
  }),
  fc.record({ pick: fc.nat(), value: fc.constantFrom(...oddValues) }).map(({ pick, value }) => {
    // replace one scalar value (the text after "key: " on some line) by an odd one
    const lines = valid.split("\n");
    const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /:\s+[^\s{[]/.test(l));
    const [line, i] = candidates[pick % candidates.length] as readonly [string, number];
    lines[i] = line.replace(/:\s+[^\s{[][^,}\]]*/, `: ${value}`);
    return lines.join("\n");
  }),
  fc.uint8Array({ minLength: 0, maxLength: 2000 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
);

describe("fuzz: mutated scenarios at run, compare and explain", () => {
  test("exit 0–3, no stack trace, nothing written on exit 2, bounded heap", () => {
    let n = 0;
    fc.assert(
      fc.property(scenarioText, fc.constantFrom("run", "compare", "explain"), (text, command) => {
        const file = join(dir, `s${n}.yaml`);
        const db = join(dir, `s${n}.db`);
        n++;
        writeFileSync(file, text, "latin1");
        const args =
          command === "run"
            ? ["run", file, "--db", db]
            : command === "compare"
              ? ["compare", file, "--variants", "baseline,packed", "--seeds", "1..2", "--db", db]
              : ["explain", "schedule", "--input", file];
        const r = runKubetwin(args, { nodeArgs: heap, cwd: dir });
        expectCleanExit(r, `${command} of:\n${text.slice(0, 3000)}`);
        if (r.code === 2) expect(existsSync(db), `exit 2 wrote ${db}\n${r.stderr}`).toBe(false);
      }),
      { numRuns: 36 },
    );
  });
});

/** Valid explain inputs, by the explain command that reads them. */
const explainInputs = { schedule: "test/fixtures/explain/web-replica.json", hpa: "test/fixtures/explain/hpa-spike.json" } as const;
const oddJson: unknown[] = [null, -1, 0, 1e308, 99999999999999999999, "", "\u001b]0;x\u0007", [], {}, "1e400", "99999999h", true, "500m", "-5Gi"];

/** A copy of `value` with the scalar or object at one place (the `pick`-th, depth first) replaced. */
function replaceAt(value: unknown, pick: number, by: unknown): unknown {
  let left = pick;
  const walk = (v: unknown): unknown => {
    if (left-- === 0) return by;
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

describe("fuzz: mutated explain inputs at explain schedule and explain hpa", () => {
  test("exit 0–3, no stack trace, bounded heap", () => {
    let n = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(explainInputs) as (keyof typeof explainInputs)[])),
        fc.oneof(
          fc.record({ kind: fc.constant("replace" as const), pick: fc.nat({ max: 400 }), value: fc.constantFrom(...oddJson) }),
          fc.record({ kind: fc.constant("byte" as const), pick: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
          fc.record({ kind: fc.constant("cut" as const), pick: fc.nat(), value: fc.constant(0) }),
        ),
        (command, mutation) => {
          const text = readFileSync(join(repoRoot, explainInputs[command]), "utf8");
          const mutated =
            mutation.kind === "replace"
              ? JSON.stringify(replaceAt(JSON.parse(text), mutation.pick, mutation.value))
              : mutation.kind === "byte"
                ? text.slice(0, mutation.pick % text.length) + String.fromCharCode(mutation.value as number) + text.slice((mutation.pick % text.length) + 1)
                : text.slice(0, mutation.pick % text.length);
          const file = join(dir, `e${n++}.json`);
          writeFileSync(file, mutated, "latin1");
          const r = runKubetwin(["explain", command, "--input", file], { nodeArgs: heap, cwd: dir });
          expectCleanExit(r, `explain ${command} of:\n${mutated.slice(0, 3000)}`);
        },
      ),
      { numRuns: 20 },
    );
  });
});
