/** A small valid scenario and an in-memory file system, for tests that break one thing at a time. */
import { loadScenarioText } from "../../src/scenario/load.ts";
import { posix } from "node:path";
import type { LoadOptions, LoadResult, ManifestFiles } from "../../src/scenario/load.ts";

export const validScenario = `apiVersion: kubetwin/v1
kind: Scenario
metadata:
  name: demo
spec:
  duration: 1h
  seed: 3
  cluster:
    nodePools:
      - name: pool
        count: 3
        zones: [zone-a, zone-b]
        allocatable: {cpu: "4", memory: 16Gi}
  workloads:
    - file: apps/web.yaml
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, labels: {app: api}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec:
              containers:
                - name: api
                  resources: {requests: {cpu: 250m, memory: 256Mi}}
  faults:
    - {at: 20m, type: NodeCrash, node: pool-0}
    - {at: 30m, type: NodeRecover, pool: pool, index: 0}
    - {at: 25m, type: PodKill, selector: {app: web}, count: 2}
    - {at: 40m, type: ScaleWorkload, name: web, replicas: 6}
  expectations:
    - maxPending: 2m
    - availability: {workload: default/api, min: 50%, after: 10m}
    - converged: {workload: "*"}
  variants:
    binpack:
      description: bin-pack
      parameters: {scheduler: {scoringStrategy: MostAllocated}, watchLatency: 100ms}
`;

export const webManifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {cpu: 200m, memory: 128Mi}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}}
`;

/** Files by path relative to the scenario's folder; a directory is any prefix of a path up to a "/". */
export function memoryFiles(files: Record<string, string>): ManifestFiles {
  const isDir = (path: string): boolean => Object.keys(files).some((f) => f.startsWith(`${path}/`));
  const normal = (path: string): string => posix.normalize(path).replace(/(.)\/$/, "$1");
  return {
    resolve: (written) => ({ readPath: normal(written), shownPath: `scenarios/${written}`, written }),
    within: (dir, written) => ({ readPath: normal(posix.join(dir.readPath, written)), shownPath: posix.join(dir.shownPath, written), written: posix.join(dir.written, written) }),
    kindOf: (path) => (Object.hasOwn(files, path) ? "file" : isDir(path) ? "directory" : "missing"),
    list: (path) => [...new Set(Object.keys(files).filter((f) => f.startsWith(`${path}/`)).map((f) => f.slice(path.length + 1).split("/")[0] as string))].sort(),
    read: (path) => (Object.hasOwn(files, path) ? { text: files[path] as string } : isDir(path) ? { error: `it is a directory (${path})` } : { error: `no such file (${path})` }),
  };
}

export function loadText(text: string, files: Record<string, string> = { "apps/web.yaml": webManifest }, options: LoadOptions = {}): LoadResult {
  return loadScenarioText(text, "scenarios/demo.yaml", "/nowhere", memoryFiles(files), options);
}

/** The 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`"${needle}" not in text`);
  return index + 1;
}
