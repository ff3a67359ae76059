/**
 * Manifests load as kubectl reads them: empty documents skipped, a directory as `kubectl apply -f
 * DIR`, a kustomization's resources as `kubectl apply -k` (other kustomize features refused), and
 * `--strict` turning "not modelled" warnings into errors. In memory first, then on real,
 * unmodified application manifests.
 */
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import type { LoadOptions, LoadResult } from "../../src/scenario/load.ts";
import { sharedDataDir } from "../k8s/shared-data.ts";
import { lineOf, loadText } from "./helpers.ts";

const scenario = (file: string) => `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: sets}
spec:
  duration: 10m
  cluster:
    nodePools:
      - {name: p, count: 3, allocatable: {cpu: "8", memory: 32Gi}}
  workloads:
    - file: ${file}
`;

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, resources: {requests: {cpu: 100m}}}]}
`;

function plan(result: LoadResult) {
  if (!result.ok) throw new Error(`${result.error.file}:${result.error.line}: ${result.error.path}: ${result.error.message}`);
  return result.plan;
}

function names(result: LoadResult): string[] {
  return plan(result).workloads.map((w) => `${w.object.kind} ${w.object.metadata.name}`);
}

function failure(result: LoadResult) {
  if (result.ok) throw new Error("expected an error, the scenario loaded");
  return result.error;
}

describe("empty YAML documents are skipped, as kubectl skips them", () => {
  it("a trailing ---, a document of comments only, and a null document", () => {
    const text = `---\n# header comment only\n---\n${deployment("a")}---\n---\n# nothing here\n---\nnull\n---\n${deployment("b")}---\n`;
    expect(names(loadText(scenario("apps.yaml"), { "apps.yaml": text }))).toEqual(["Deployment a", "Deployment b"]);
  });

  it("the scenario file itself may end with --- or a comments-only document", () => {
    expect(names(loadText(`---\n${scenario("apps.yaml")}---\n# the end\n`, { "apps.yaml": deployment("a") }))).toEqual(["Deployment a"]);
  });

  it("a file holding nothing but empty documents is still an error at the entry", () => {
    const s = scenario("apps.yaml");
    expect(failure(loadText(s, { "apps.yaml": "---\n# empty\n---\n" }))).toMatchObject({
      path: "spec.workloads[0].file", line: lineOf(s, "file: apps.yaml"), message: "manifest file scenarios/apps.yaml holds no objects",
    });
  });
});

describe("a directory is every *.yaml, *.yml and *.json file in it, sorted, not recursive", () => {
  const files = {
    "apps/b.yml": deployment("b"),
    "apps/a.yaml": deployment("a"),
    "apps/c.json": JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "c" }, spec: { containers: [{ name: "c" }] } }),
    "apps/notes.txt": "not read: not a manifest extension",
    "apps/nested/d.yaml": deployment("d"),
  };

  it("loads a, b, c in name order and leaves the rest", () => {
    expect(names(loadText(scenario("apps"), files))).toEqual(["Deployment a", "Deployment b", "Pod c"]);
    expect(names(loadText(scenario("apps/"), files))).toEqual(["Deployment a", "Deployment b", "Pod c"]);
  });

  it("a directory without manifests is an error at the entry", () => {
    expect(failure(loadText(scenario("docs"), { "docs/readme.md": "# hi" }))).toMatchObject({
      path: "spec.workloads[0].file", message: "directory scenarios/docs holds no .yaml, .yml or .json file",
    });
  });
});

describe("a kustomization is its resources, recursively", () => {
  const base = {
    "base/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - web.yaml\n  - ../shared\n",
    "base/web.yaml": deployment("web"),
    "base/unlisted.yaml": deployment("unlisted"),
    "shared/Kustomization": "resources: [db.yaml]\n",
    "shared/db.yaml": deployment("db"),
  };

  it("named as a directory or as its file, in resources order; unlisted files are not loaded", () => {
    expect(names(loadText(scenario("base"), base))).toEqual(["Deployment web", "Deployment db"]);
    expect(names(loadText(scenario("base/kustomization.yaml"), base))).toEqual(["Deployment web", "Deployment db"]);
  });

  it("every other kustomize feature is refused, naming each one, at the first of them", () => {
    const k = "resources: [web.yaml]\nnamePrefix: prod-\nimages:\n  - {name: web, newTag: v2}\nconfigMapGenerator: [{name: cfg}]\n";
    const e = failure(loadText(scenario("base"), { ...base, "base/kustomization.yaml": k }));
    expect(e).toMatchObject({ file: "scenarios/base/kustomization.yaml", line: lineOf(k, "namePrefix"), path: "namePrefix" });
    expect(e.message).toMatch(/^kustomize features the twin does not apply: namePrefix, images, configMapGenerator; only resources are read/);
  });

  it("a directory resource without a kustomization, a missing resource, a remote one, a cycle: errors at the entry", () => {
    const k = (r: string) => ({ ...base, "base/kustomization.yaml": `resources: [${r}]\n` });
    expect(failure(loadText(scenario("base"), { ...k("plain"), "base/plain/x.yaml": deployment("x") })).message).toBe(
      "scenarios/base/plain is a directory without a kustomization file (kustomization.yaml, kustomization.yml, Kustomization)",
    );
    expect(failure(loadText(scenario("base"), k("gone.yaml")))).toMatchObject({ path: "resources[0]", message: "no such file or directory: scenarios/base/gone.yaml" });
    expect(failure(loadText(scenario("base"), k("https://github.com/x/y//base"))).message).toMatch(/^remote resources are not read/);
    expect(failure(loadText(scenario("base"), k("../base"))).message).toMatch(/^kustomization cycle/);
  });

  it("two kustomization files in one directory are refused, as kustomize refuses them", () => {
    expect(failure(loadText(scenario("base"), { ...base, "base/kustomization.yml": "resources: [web.yaml]\n" })).message).toBe(
      "directory scenarios/base holds more than one kustomization file (kustomization.yaml, kustomization.yml); kustomize refuses that too",
    );
  });
});

describe("--strict: a kind the twin does not model is an error, not a warning", () => {
  const files = { "apps.yaml": `${deployment("web")}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {}\n` };

  it("without --strict: loaded with a warning naming the kind and the object", () => {
    expect(plan(loadText(scenario("apps.yaml"), files)).warnings).toEqual(["scenarios/apps.yaml: not modelled yet, ignored: ConfigMap web"]);
  });

  it("with --strict: an error at the object's kind", () => {
    const e = failure(loadText(scenario("apps.yaml"), files, { strict: true }));
    expect(e).toMatchObject({ file: "scenarios/apps.yaml", path: "documents[1].kind", line: 11 });
    expect(e.message).toBe("ConfigMap web: this kind is not modelled by the twin (--strict refuses what would otherwise be ignored with a warning)");
  });
});

describe("real, unmodified application manifests (../shared/data/manifests)", () => {
  const shared = sharedDataDir();
  const manifests = shared === undefined ? undefined : join(shared, "manifests");
  if (manifests === undefined) {
    it.skip("skipped: ../shared/data is absent (a fresh clone has none), so the real manifests cannot be read", () => {});
    return;
  }

  /** Copies `from` (under manifests/) beside a scenario that names it `as`, and loads it from disk. */
  function loadCopied(from: string, as: string, options: LoadOptions = {}): LoadResult {
    const dir = mkdtempSync(join(tmpdir(), "kubetwin-sets-"));
    cpSync(join(manifests as string, from), join(dir, as), { recursive: true });
    writeFileSync(join(dir, "s.yaml"), scenario(as));
    return loadScenarioFile(join(dir, "s.yaml"), options);
  }

  const boutique = ["adservice", "cartservice", "checkoutservice", "currencyservice", "emailservice", "frontend", "paymentservice", "productcatalogservice", "recommendationservice", "shippingservice"];

  it("Online Boutique's kubernetes-manifests directory is its kustomization: ten services, not the loadgenerator it comments out", () => {
    const loaded = names(loadCopied("online-boutique/kubernetes-manifests", "boutique"));
    expect(loaded.filter((n) => n.startsWith("Deployment "))).toEqual([...boutique.map((b) => `Deployment ${b}`), "Deployment redis-cart"].sort((a, b) => order(a) - order(b)));
  });

  it("Online Boutique's release file: one multi-document file with a comments-only first document, 12 Deployments", () => {
    const loaded = names(loadCopied("online-boutique/release-kubernetes-manifests.yaml", "release.yaml"));
    expect(loaded.filter((n) => n.startsWith("Deployment "))).toHaveLength(12);
    expect(loaded).toContain("Deployment loadgenerator");
  });

  it("the same file with a trailing --- and a comments-only last document (as TrainTicket publishes its files) loads the same", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubetwin-sets-"));
    cpSync(join(manifests, "online-boutique/release-kubernetes-manifests.yaml"), join(dir, "release.yaml"));
    writeFileSync(join(dir, "release.yaml"), "\n---\n# end of file\n---\n", { flag: "a" });
    writeFileSync(join(dir, "s.yaml"), scenario("release.yaml"));
    const viaCopy = names(loadCopied("online-boutique/release-kubernetes-manifests.yaml", "release.yaml"));
    expect(names(loadScenarioFile(join(dir, "s.yaml")))).toEqual(viaCopy);
  });

  it("a DeathStarBench service directory (Deployment, Service, PV, PVC files) loads as kubectl apply -f DIR, every kind modelled", () => {
    // Files in name order (mongodb-user-deployment, …, user-persistent-volume, user-pvc, …), policy objects first.
    const result = loadCopied("deathstarbench-hotelreservation/user", "user");
    expect(names(result)).toEqual(["Service mongodb-user", "PersistentVolume user-pv", "PersistentVolumeClaim user-pvc", "Service user", "Deployment mongodb-user", "Deployment user"]);
    expect(plan(result).warnings.filter((w) => /not modelled/.test(w))).toEqual([]);
  });

  it("kube-prometheus under --strict: refused at the first kind not modelled (the Alertmanager custom resource)", () => {
    expect(names(loadCopied("kube-prometheus", "monitoring"))).toContain("Deployment grafana");
    const e = failure(loadCopied("kube-prometheus", "monitoring", { strict: true }));
    expect(e.file).toMatch(/monitoring\/alertmanager-alertmanager\.yaml$/);
    expect(e.message).toMatch(/^Alertmanager main: this kind is not modelled/);
  });

  function order(name: string): number {
    const i = boutique.indexOf(name.replace("Deployment ", ""));
    // redis-cart lives in cartservice.yaml, after the cartservice Deployment.
    return name === "Deployment redis-cart" ? boutique.indexOf("cartservice") + 0.5 : i;
  }
});
