/**
 * Every real manifest the project carries (scenarios/manifests/**) and every one in
 * ../shared/data/manifests decodes, encodes back, and decodes again to the same model object:
 * decode ∘ encode ∘ decode = decode, for each object of a kind the twin models.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { codecsOfKind, decodeKube, encodeKube } from "../../src/k8s/kinds.ts";
import type { KubeObject } from "../../src/k8s/kinds.ts";
import { sharedDataDir } from "./shared-data.ts";

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(name) ? [path] : [];
    });
}

interface Found {
  where: string;
  raw: unknown;
}

/** The objects of kinds the codec models, in every YAML document of every file under `dir`. */
function modelledObjects(dir: string): Found[] {
  const found: Found[] = [];
  for (const file of yamlFiles(dir)) {
    parseAllDocuments(readFileSync(file, "utf8")).forEach((doc, i) => {
      const value = doc.toJS() as { kind?: unknown; items?: unknown[] } | null;
      const items = value?.kind === "List" ? (value.items ?? []) : [value];
      for (const raw of items) {
        const kind = (raw as { kind?: unknown } | null)?.kind;
        if (typeof kind === "string" && codecsOfKind(kind).length > 0) found.push({ where: `${relative(dir, file)} document ${i}`, raw });
      }
    });
  }
  return found;
}

function decoded(raw: unknown, where: string): KubeObject {
  const r = decodeKube(raw);
  if (Result.isFailure(r)) throw new Error(`${where}: ${r.failure.path.join(".")}: ${r.failure.message}`);
  if (r.success.outcome !== "object") throw new Error(`${where}: not modelled`);
  return r.success.object;
}

function roundTrips(dir: string, kindsExpected: string[]): void {
  const objects = modelledObjects(dir);
  expect(new Set(objects.map((o) => (o.raw as { kind: string }).kind))).toEqual(new Set(kindsExpected));
  for (const { where, raw } of objects) {
    const once = decoded(raw, where);
    const json = encodeKube(once);
    expect(JSON.parse(JSON.stringify(json)), where).toEqual(json);
    expect(decoded(json, `${where} (encoded)`), where).toEqual(once);
  }
}

describe("real manifests: decode, encode, decode again gives the same model object", () => {
  it("scenarios/manifests (the project's copies)", () => {
    roundTrips(resolve(import.meta.dirname, "../../scenarios/manifests"), ["Deployment", "PersistentVolume", "PersistentVolumeClaim", "Service"]);
  });

  const shared = sharedDataDir();
  it.skipIf(shared === undefined)(
    shared === undefined ? "../shared/data/manifests: skipped, the folder is absent (a fresh clone has none)" : "../shared/data/manifests",
    () => {
      roundTrips(join(shared as string, "manifests"), ["DaemonSet", "Deployment", "HorizontalPodAutoscaler", "PersistentVolume", "PersistentVolumeClaim", "PodDisruptionBudget", "Service", "StatefulSet"]);
    },
  );
});
