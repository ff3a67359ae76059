/**
 * `kubetwin compare` with one worker and with two: a 20-seed compare of a bundled scenario, run as
 * a user runs it (a fresh process, JSON output, no progress bar). Prints the median wall time of
 * each and the speed-up (issue target: ≥ 1.6× with two workers on two free cores). Both outputs
 * must be identical, or the benchmark fails (exit 1, a failed expectation, still counts as a result).
 */
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";

const scenario = process.argv[2] ?? "scenarios/binpack-vs-spread.yaml";
const variants = process.argv[3] ?? "baseline,binpack";
const repeats = Number(process.argv[4] ?? 5);
const args = ["src/cli/main.ts", "compare", scenario, "--variants", variants, "--seeds", "1..20", "--json", "--no-progress"];

function once(workers: number): { ms: number; stdout: string } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [...args, "--workers", String(workers)], { encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = performance.now() - started;
  if (r.status !== 0 && r.status !== 1) throw new Error(`compare --workers ${workers} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const times: Record<number, number[]> = { 1: [], 2: [] };
let reference: string | undefined;
for (let i = 0; i < repeats; i++) {
  for (const w of [1, 2]) {
    const { ms, stdout } = once(w);
    reference ??= stdout;
    if (stdout !== reference) throw new Error(`compare --workers ${w} printed a different result`);
    (times[w] as number[]).push(ms);
  }
}
const one = median(times[1] as number[]);
const two = median(times[2] as number[]);
console.log(`compare ${scenario} ${variants} --seeds 1..20 (40 runs), median of ${repeats}, ${availableParallelism()} cores`);
console.log(`  1 worker   ${(one / 1000).toFixed(2)} s   [${(times[1] as number[]).map((t) => (t / 1000).toFixed(2)).join(" ")}]`);
console.log(`  2 workers  ${(two / 1000).toFixed(2)} s   [${(times[2] as number[]).map((t) => (t / 1000).toFixed(2)).join(" ")}]`);
console.log(`  speed-up   ${(one / two).toFixed(2)}×  (target ≥ 1.6×)`);
