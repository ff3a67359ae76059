/**
 * Calibrates the twin's control plane against a real etcd: a 3-member cluster on 127.0.0.1
 * (heartbeat 100 ms, election timeout 1000 ms, pre-vote on), the leader killed ~20 times; for each
 * kill we measure the time to a new leader and to the first successful write, then restart the
 * member. Then the twin (RaftStore, same settings) does the same, and both distributions are
 * printed side by side with the ratio of medians (target: within 25%).
 *
 * Run: node scripts/calibrate-etcd.ts [trials] [--twin-only]
 * Installs Debian's etcd-server with apt-get when `etcd` is missing (needs root). Every process it
 * starts is stopped by its own pid, also on error or Ctrl-C. Not part of the deterministic core.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Prng } from "../src/model/prng.ts";
import { Engine, type Actor } from "../src/sim/engine.ts";
import { etcdStoreParams, RaftStore } from "../src/sim/raft/raft-store.ts";
import { quantile } from "../src/sim/raft/store-observations.ts";

const HEARTBEAT_MS = 100;
const ELECTION_MS = 1000;
const TRIALS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20);
/** `--twin-only`: skip etcd (quick look at the twin's side). */
const TWIN_ONLY = process.argv.includes("--twin-only");
/** Per-request timeout of the probing client, and the pause between its attempts. */
const REQUEST_TIMEOUT_MS = 500;
const PROBE_EVERY_MS = 10;

interface Trial {
  leaderMs: number;
  writeMs: number;
}

// ---------------------------------------------------------------- etcd installation

function which(command: string): string | null {
  try {
    return execFileSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

function ensureEtcd(): string {
  const found = which("etcd");
  if (found !== null) return found;
  console.log("etcd not found: installing Debian's etcd-server with apt-get");
  // Keep the package from starting its own daemon while it installs (standard container trick).
  const policy = "/usr/sbin/policy-rc.d";
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "etcd-server"], { stdio: "inherit", env });
  } finally {
    if (ownPolicy) unlinkSync(policy);
  }
  const installed = which("etcd");
  if (installed === null) throw new Error("etcd-server installed but `etcd` is not on PATH");
  return installed;
}

// ---------------------------------------------------------------- the real cluster

interface Member {
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
  process: ChildProcess | null;
  memberId: string;
}

const children = new Set<ChildProcess>();

function stopAll(): void {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

function startMember(etcd: string, member: Member, cluster: string): void {
  const args = [
    `--name=${member.name}`,
    `--data-dir=${member.dataDir}`,
    `--listen-client-urls=${member.clientUrl}`,
    `--advertise-client-urls=${member.clientUrl}`,
    `--listen-peer-urls=${member.peerUrl}`,
    `--initial-advertise-peer-urls=${member.peerUrl}`,
    `--initial-cluster=${cluster}`,
    "--initial-cluster-state=new",
    "--initial-cluster-token=kubetwin-calibration",
    `--heartbeat-interval=${HEARTBEAT_MS}`,
    `--election-timeout=${ELECTION_MS}`,
    "--pre-vote=true",
    "--log-level=error",
  ];
  const child = spawn(etcd, args, { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.on("data", () => {}); // drain
  children.add(child);
  child.on("exit", () => children.delete(child));
  member.process = child;
}

function kill(member: Member): void {
  const child = member.process;
  if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGKILL");
  member.process = null;
}

async function post(url: string, body: unknown, timeoutMs: number): Promise<unknown | null> {
  try {
    const response = await fetch(url, { method: "POST", body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return null;
    const json = (await response.json()) as Record<string, unknown>;
    return "error" in json ? null : json;
  } catch {
    return null;
  }
}

interface Status {
  memberId: string;
  leader: string;
}

async function status(member: Member): Promise<Status | null> {
  const json = (await post(`${member.clientUrl}/v3/maintenance/status`, {}, 200)) as { header?: { member_id?: string }; leader?: string } | null;
  if (json === null || json.header?.member_id === undefined) return null;
  return { memberId: json.header.member_id, leader: json.leader ?? "0" };
}

async function put(member: Member, key: string): Promise<boolean> {
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  return (await post(`${member.clientUrl}/v3/kv/put`, { key: b64(key), value: b64("x") }, REQUEST_TIMEOUT_MS)) !== null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const value = await probe();
    if (value !== null) return value;
    await sleep(PROBE_EVERY_MS);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The leader's member (all live members agree on a non-zero leader). */
async function currentLeader(members: Member[]): Promise<Member | null> {
  const statuses = await Promise.all(members.filter((m) => m.process !== null).map((m) => status(m)));
  const leaders = new Set(statuses.map((s) => (s === null ? "?" : s.leader)));
  if (leaders.size !== 1) return null;
  const [leader] = [...leaders];
  return members.find((m) => m.memberId === leader) ?? null;
}

async function measureEtcd(etcd: string): Promise<Trial[]> {
  const dir = mkdtempSync(join(tmpdir(), "kubetwin-etcd-"));
  const base = 42000 + (process.pid % 500) * 10;
  const members: Member[] = [1, 2, 3].map((i) => ({
    name: `m${i}`,
    clientUrl: `http://127.0.0.1:${base + i}`,
    peerUrl: `http://127.0.0.1:${base + 100 + i}`,
    dataDir: join(dir, `m${i}`),
    process: null,
    memberId: "",
  }));
  const cluster = members.map((m) => `${m.name}=${m.peerUrl}`).join(",");
  try {
    for (const m of members) startMember(etcd, m, cluster);
    for (const m of members) m.memberId = (await waitFor(`${m.name} to answer`, 30_000, () => status(m))).memberId;
    await waitFor("a first leader", 30_000, () => currentLeader(members));
    const trials: Trial[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const leader = await waitFor("a settled leader", 30_000, () => currentLeader(members));
      await sleep(Math.random() * HEARTBEAT_MS); // a random point of the heartbeat interval
      const survivors = members.filter((m) => m !== leader);
      const startMs = performance.now();
      kill(leader);
      const newLeader = (async () => {
        await waitFor("a new leader", 60_000, async () => {
          const statuses = await Promise.all(survivors.map((m) => status(m)));
          return statuses.some((s) => s !== null && s.leader !== "0" && s.leader !== leader.memberId) ? true : null;
        });
        return performance.now() - startMs;
      })();
      const firstWrite = (async () => {
        let k = 0;
        await waitFor("a successful write", 60_000, async () => ((await put(survivors[k++ % 2] as Member, `calibration/${trial}`)) ? true : null));
        return performance.now() - startMs;
      })();
      const [leaderMs, writeMs] = await Promise.all([newLeader, firstWrite]);
      trials.push({ leaderMs, writeMs });
      console.log(`etcd trial ${trial + 1}/${TRIALS}: killed ${leader.name}; new leader after ${leaderMs.toFixed(0)} ms, first write after ${writeMs.toFixed(0)} ms`);
      startMember(etcd, leader, cluster);
      await waitFor(`${leader.name} back`, 30_000, () => status(leader));
      await sleep(2000); // let it catch up and the cluster settle
    }
    return trials;
  } finally {
    stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- the twin

function measureTwin(trials: number, seed: number): Trial[] {
  const engine = new Engine();
  const prng = Prng.fromSeed(seed);
  const params = etcdStoreParams(3);
  params.attemptTimeoutMs = REQUEST_TIMEOUT_MS;
  params.retryBackoffMs = PROBE_EVERY_MS;
  let firstCommitMs = Infinity;
  let writeId = 0;
  let probing = false;
  const store = new RaftStore(engine, prng.fork("store"), params, {
    onCommitted: (_id, atMs) => {
      if (probing) firstCommitMs = Math.min(firstCommitMs, atMs);
    },
    onWriteFailed: () => {
      if (probing && firstCommitMs === Infinity) engine.after(0, writer, 0);
    },
  });
  // One client writing one key at a time, as the etcd probe does: the store retries it (new
  // endpoint after each 500 ms attempt timeout, 10 ms backoff after a "no leader" answer).
  const writer: Actor = {
    onEvent: () => {
      if (probing && firstCommitMs === Infinity) store.propose(writeId++, 64);
    },
  };
  const phase = prng.fork("phase");
  store.start();
  engine.runUntil({ atMsMax: 10_000, stepsMax: 10_000_000 });
  const out: Trial[] = [];
  for (let trial = 0; trial < trials; trial++) {
    engine.runUntil({ atMsMax: engine.nowMs + phase.int(0, HEARTBEAT_MS), stepsMax: 10_000_000 });
    const leader = store.group.leaderId();
    const term = store.group.member(leader).term;
    const crashMs = engine.nowMs;
    store.crashMember(leader);
    probing = true;
    firstCommitMs = Infinity;
    engine.after(0, writer, 0);
    let leaderMs = Infinity;
    while (engine.nowMs < crashMs + 60_000 && (leaderMs === Infinity || firstCommitMs === Infinity)) {
      engine.runUntil({ atMsMax: engine.nowMs + 5, stepsMax: 10_000_000 });
      const now = store.group.leaderId();
      if (leaderMs === Infinity && now !== 0 && now !== leader && store.group.member(now).term > term) leaderMs = engine.nowMs - crashMs;
    }
    probing = false;
    out.push({ leaderMs, writeMs: firstCommitMs - crashMs });
    store.restartMember(leader);
    engine.runUntil({ atMsMax: engine.nowMs + 2000, stepsMax: 10_000_000 });
  }
  return out;
}

// ---------------------------------------------------------------- report

function stats(values: number[]): { median: number; p90: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

function row(label: string, real: number[], twin: number[]): string {
  const r = stats(real);
  const t = stats(twin);
  const f = (x: number) => `${Math.round(x)}`.padStart(6);
  const ratio = r.median > 0 ? t.median / r.median : NaN;
  return `${label.padEnd(22)} | etcd median ${f(r.median)} p90 ${f(r.p90)} min ${f(r.min)} max ${f(r.max)} | twin median ${f(t.median)} p90 ${f(t.p90)} min ${f(t.min)} max ${f(t.max)} | twin/etcd median ${ratio.toFixed(2)} ${Math.abs(ratio - 1) <= 0.25 ? "(within 25%)" : "(OUTSIDE 25%)"}`;
}

async function main(): Promise<void> {
  const onSignal = () => {
    stopAll();
    process.exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const twin = measureTwin(TRIALS, 1);
    if (TWIN_ONLY) {
      for (const [i, t] of twin.entries()) console.log(`twin trial ${i + 1}: new leader after ${t.leaderMs} ms, first write after ${t.writeMs} ms`);
      console.log(`twin medians: leader ${stats(twin.map((t) => t.leaderMs)).median} ms, first write ${stats(twin.map((t) => t.writeMs)).median} ms`);
      return;
    }
    const etcd = ensureEtcd();
    console.log(`etcd: ${execFileSync(etcd, ["--version"], { encoding: "utf8" }).split("\n")[0]}`);
    const real = await measureEtcd(etcd);
    console.log(`\n${TRIALS} leader kills each; times in ms from the kill (heartbeat ${HEARTBEAT_MS} ms, election timeout ${ELECTION_MS} ms, pre-vote on)`);
    console.log(row("time to new leader", real.map((t) => t.leaderMs), twin.map((t) => t.leaderMs)));
    console.log(row("time to first write", real.map((t) => t.writeMs), twin.map((t) => t.writeMs)));
  } finally {
    stopAll();
  }
}

await main();
