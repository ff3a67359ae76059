/**
 * The live adapter against a real HTTP server speaking the Kubernetes API: the served twin. The
 * world moves (the run's later records), the server misbehaves on demand (410 Gone, silent
 * watches, going away), and the adapter's view must end up equal to the served state each time.
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { writeFileSync } from "node:fs";
import { kubeconfigFor, openServedWorld } from "../../src/cli/serve-command.ts";
import { TwinServer } from "../../src/cli/serve-http.ts";
import { assertFrozen } from "../../src/live/freeze.ts";
import { connectKubeClient } from "../../src/live/kube-client.ts";
import { LiveCluster } from "../../src/live/live-cluster.ts";
import { eventually, serveQuickstart, type ServedTwin } from "./served-twin.ts";

const root = resolve(import.meta.dirname, "../..");
let twin: ServedTwin;

beforeAll(async () => {
  twin = await serveQuickstart("19m", { bookmarkMs: 100 });
}, 300_000);
afterAll(() => twin?.close());

const sameKeys = (live: LiveCluster, kind: string, world: ReadonlyMap<string, unknown>) =>
  [...(live.objects.get(kind)?.keys() ?? [])].sort().join() === [...world.keys()].sort().join();

/** The adapter's pods and nodes equal the served state, version for version. */
function agrees(live: LiveCluster): boolean {
  const s = twin.world.state;
  if (!sameKeys(live, "Pod", s.pods) || !sameKeys(live, "Node", s.nodes) || !sameKeys(live, "Deployment", s.deployments)) return false;
  for (const [key, pod] of s.pods) {
    const seen = live.objects.get("Pod")!.get(key) as typeof pod;
    if (seen.metadata.resourceVersion !== pod.metadata.resourceVersion || seen.spec.nodeName !== pod.spec.nodeName || seen.status.phase !== pod.status.phase) return false;
  }
  return true;
}

function client(options: { requestTimeoutMs?: number } = {}) {
  return connectKubeClient({ file: twin.kubeconfig }, options);
}

describe("the adapter's informers against the served twin", () => {
  test("the first lists give the served state, every object read through the codec, frozen in debug mode", async () => {
    const live = new LiveCluster(client(), { debugFreeze: true });
    await live.start();
    try {
      expect(agrees(live)).toBe(true);
      expect(live.objects.get("Lease")!.size).toBe(twin.world.state.leases.size);
      expect([...live.refused.values()].every((m) => m.size === 0)).toBe(true);
      const node = [...live.objects.get("Node")!.values()][0]!;
      const served = twin.world.state.nodes.get(node.metadata.name)!;
      expect(node).toMatchObject({ status: { allocatable: served.status.allocatable, ready: served.status.ready } });
      assertFrozen(node, "node");
      expect(() => {
        (node.metadata as { name: string }).name = "changed";
      }).toThrow(TypeError);
    } finally {
      await live.stop();
    }
  });

  test("watches follow the world as it moves on; the adapter sends only GET requests", async () => {
    const live = new LiveCluster(client());
    await live.start();
    const seenBefore = twin.server.requests.length;
    try {
      const podsBefore = new Set(twin.world.state.pods.keys());
      twin.clock.advanceTo(26 * 60_000);
      expect([...twin.world.state.pods.keys()].filter((k) => !podsBefore.has(k)).length).toBeGreaterThan(0); // replacements for the lost node's pods
      await eventually("the adapter sees the pods created after 19m", () => agrees(live));
      const informers = [...live.informers.values()];
      expect(informers.every((i) => i.stats.lists === 1)).toBe(true); // followed by watching, not relisting
      expect(twin.server.requests.every((r) => r.method === "GET")).toBe(true);
      expect(twin.server.requests.slice(seenBefore).some((r) => /watch=true/.test(r.url) && /allowWatchBookmarks=true/.test(r.url))).toBe(true);
    } finally {
      await live.stop();
    }
  });

  test("410 Gone on a watch: the informer relists and catches up on what it missed", async () => {
    const live = new LiveCluster(client(), { kinds: ["Pod", "Node", "Deployment"] });
    await live.start();
    try {
      await eventually("three watches open", () => twin.server.openWatchCount === 3);
      twin.server.faults.goneWatches = 3;
      twin.server.endWatches();
      const revision = twin.world.revision;
      twin.clock.advanceTo(28 * 60_000);
      expect(twin.world.revision).toBeGreaterThan(revision);
      await eventually("all three informers relisted", () => [...live.informers.values()].every((i) => i.stats.gone === 1 && i.stats.lists === 2), 5_000).catch((e: Error) => {
        throw new Error(`${e.message}: ${JSON.stringify([...live.informers.values()].map((i) => i.stats))} faults ${JSON.stringify(twin.server.faults)}`);
      });
      await eventually("the relisted view agrees with the world", () => agrees(live));
      expect(twin.server.faults.goneWatches).toBe(0);
    } finally {
      await live.stop();
    }
  });

  test("a watch that has gone silent is restarted by the watchdog, and the changes still arrive", async () => {
    // only the pods watch: a watch an earlier test's informer had in flight when it stopped may still arrive
    twin.server.faults.silentWatchPath = "/api/v1/pods";
    twin.server.faults.silentWatches = 1;
    const live = new LiveCluster(client(), { kinds: ["Pod"], silenceMsMax: 1_000 });
    await live.start();
    try {
      const pods = live.informers.get("Pod")!;
      twin.clock.advanceTo(30 * 60_000);
      await eventually("the silent watch is restarted", () => pods.stats.silentRestarts >= 1);
      await eventually("the pods agree again", () => sameKeys(live, "Pod", twin.world.state.pods));
      expect(pods.stats.lists).toBe(1); // resumed from its version, no relist needed
    } finally {
      twin.server.faults.silentWatchPath = undefined;
      await live.stop();
    }
  });

  test("a server that goes away: retries back off exponentially up to the cap, then the informer recovers", async () => {
    const live = new LiveCluster(client({ requestTimeoutMs: 2_000 }), { kinds: ["Pod"], backoff: { baseMs: 20, capMs: 160 } });
    await live.start();
    try {
      const pods = live.informers.get("Pod")!;
      await twin.server.stop();
      await eventually("six retries", () => pods.stats.retries >= 6);
      expect(pods.stats.delaysMs.slice(0, 6)).toEqual([20, 40, 80, 160, 160, 160]);
      twin.clock.advanceTo(35 * 60_000);
      await twin.restart();
      await eventually("the pods agree after the server is back", () => sameKeys(live, "Pod", twin.world.state.pods));
    } finally {
      await live.stop();
    }
  });
});

describe("a version compacted away while the adapter was cut off", () => {
  test("the served twin answers the stale watch 410 Gone by itself, and the informer relists", async () => {
    const served = openServedWorld(join(twin.dir, "runs.db"), undefined, "19m", { historyMax: 5 });
    let server = new TwinServer(served.world, { port: 0 });
    const port = await server.start();
    const file = join(twin.dir, "compacting.kubeconfig");
    writeFileSync(file, kubeconfigFor(server.url));
    const live = new LiveCluster(connectKubeClient({ file }), { kinds: ["Pod"], backoff: { baseMs: 50, capMs: 50 } });
    await live.start();
    try {
      const pods = live.informers.get("Pod")!;
      await server.stop();
      served.clock(0).advanceTo(30 * 60_000); // far more than 5 changes: the informer's version is compacted
      expect(served.world.since(Number(pods.resourceVersion))).toBe("gone");
      await eventually("a retry while the server is away", () => pods.stats.retries >= 1);
      server = new TwinServer(served.world, { port });
      await server.start();
      await eventually("relisted after 410 Gone", () => pods.stats.gone === 1 && pods.stats.lists === 2);
      expect([...live.objects.get("Pod")!.keys()].sort()).toEqual([...served.world.state.pods.keys()].sort());
    } finally {
      await live.stop();
      await server.stop();
    }
  });
});

describe("kubetwin live", () => {
  const kubetwin = (...args: string[]) => spawnSync(process.execPath, [join(root, "bin/kubetwin.js"), "live", ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });

  test("an unreadable kubeconfig: exit 2, one line naming the file", () => {
    const r = kubetwin("--kubeconfig", join(twin.dir, "missing.kubeconfig"));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^kubetwin: cannot read kubeconfig .*missing\.kubeconfig/)]);
  });

  test("an unreachable server: exit 2, one line naming the server", async () => {
    const file = join(twin.dir, "unreachable.kubeconfig");
    writeFileSync(file, kubeconfigFor("http://127.0.0.1:1"));
    const r = kubetwin("--kubeconfig", file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^kubetwin: cannot read the Kubernetes API server at http:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
