/**
 * Report bench: a synthetic log shaped like 1,000 nodes / 30,000 pods / 1 hour (about a million
 * records, written through SqliteLog), then the run report: generation time, file size, and the
 * time until the page is ready in headless Chromium (plus one substring filter over all records).
 * Targets: generation ≤ 5 s, file ≤ 20 MB, page ready ≤ 2 s. Prints figures; asserts nothing.
 *
 *   node bench/report.ts [--keep DIR]
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteLog } from "../src/log/sqlite-log.ts";
import { writeRunReport } from "../src/report/write-report.ts";
import { launchChromium, openReport } from "../test/report/browser-harness.ts";
import { writeSyntheticRun, type SyntheticSpec } from "../test/report/synthetic-log.ts";

const spec: SyntheticSpec = {
  seed: 42,
  variant: "default",
  nodes: 1000,
  zones: 3,
  workloads: 300,
  podsPerWorkload: 100,
  durationMs: 3_600_000,
  churnPerMinute: 0.08,
  faults: [
    { atMs: 1_200_000, fault: "ZoneOutage", zone: 1, label: "zone-1 down", healAfterMs: 600_000 },
    { atMs: 2_700_000, fault: "NodeCrash", zone: 2, label: "zone-2 crash", healAfterMs: 120_000 },
  ],
  metricEveryMs: 10_000,
};

// child mode: generate one report in a fresh process (the parent's heap is full of the fixture)
const generateAt = process.argv.indexOf("--generate");
if (generateAt > 0) {
  const [db, out, id] = process.argv.slice(generateAt + 1);
  const start = performance.now();
  writeRunReport(db as string, Number(id), out as string);
  console.log(JSON.stringify({ generationMs: performance.now() - start }));
  process.exit(0);
}

const keepAt = process.argv.indexOf("--keep");
const dir = keepAt > 0 ? (process.argv[keepAt + 1] ?? "bench-out") : mkdtempSync(join(tmpdir(), "kubetwin-bench-report-"));
mkdirSync(dir, { recursive: true });
const dbPath = join(dir, "bench.db");
const htmlPath = join(dir, "bench-report.html");
rmSync(dbPath, { force: true });

const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

let t = performance.now();
const log = SqliteLog.open(dbPath, { create: true });
const truth = writeSyntheticRun(log, spec);
log.close();
console.log(`synthetic log: ${truth.eventCount} records, ${spec.nodes} nodes, ${spec.workloads * spec.podsPerWorkload} pod slots, ${truth.boundMs.length} pods bound, built in ${fmtS(performance.now() - t)}`);

const generations = [0, 1].map(() => {
  const out = execFileSync(process.execPath, [import.meta.filename, "--generate", dbPath, htmlPath, String(truth.runId)], { encoding: "utf8" });
  return (JSON.parse(out) as { generationMs: number }).generationMs;
});
const sizeMb = statSync(htmlPath).size / 1e6;
console.log(`generation (fresh process, twice): ${generations.map(fmtS).join(", ")} (target ≤ 5 s)`);
console.log(`file size: ${sizeMb.toFixed(2)} MB (target ≤ 20 MB) → ${htmlPath}`);

const session = await launchChromium();
try {
  const readyTimes: number[] = [];
  let filterMs = 0;
  for (let i = 0; i < 3; i++) {
    const opened = await openReport(session, htmlPath);
    readyTimes.push(opened.readyMs);
    if (opened.consoleErrors.length > 0 || opened.foreignRequests.length > 0) console.log("page problems:", opened.consoleErrors, opened.foreignRequests);
    console.log(`  load ${i + 1}: ready ${fmtS(opened.readyMs)}; in-page ms ${JSON.stringify(await opened.page.evaluate("window.__kubetwinReport.timingsMs"))}`);
    if (i === 0) {
      filterMs = (await opened.page.evaluate(() => {
        const r = (window as unknown as { __kubetwinReport: { events: { applyFilter(): void } } }).__kubetwinReport;
        const q = document.getElementById("ev-q") as HTMLInputElement;
        q.value = "zone-1";
        const start = performance.now();
        r.events.applyFilter();
        return performance.now() - start;
      })) as number;
    }
    await opened.page.close();
  }
  readyTimes.sort((a, b) => a - b);
  console.log(`page ready in Chromium: median ${fmtS(readyTimes[1] as number)} of 3 (${readyTimes.map(fmtS).join(", ")}) (target ≤ 2 s)`);
  console.log(`substring filter over all ${truth.eventCount} records: ${filterMs.toFixed(0)} ms`);
} finally {
  await session.close();
  if (keepAt < 0) rmSync(dir, { recursive: true, force: true });
}
