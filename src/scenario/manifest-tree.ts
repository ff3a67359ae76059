/**
 * A workload's `file:` → the manifest files it stands for, in the order they are applied:
 *  - a file: itself;
 *  - a directory: every `*.yaml`, `*.yml` and `*.json` file in it, sorted by name, not recursive,
 *    as `kubectl apply -f DIR` reads it (cli-runtime pkg/resource/visitor.go,
 *    ExpandPathsToFileVisitors and FileExtensions); a directory holding a kustomization file is
 *    that kustomization;
 *  - a kustomization (`kustomization.yaml`, `kustomization.yml` or `Kustomization`, the names
 *    kustomize recognises, or a directory holding one): its `resources` in order, each a file or a
 *    directory holding a kustomization, recursively. Every other kustomize feature (patches,
 *    namePrefix, images, generators, …) is refused, naming them: the twin would otherwise load
 *    something other than what `kubectl apply -k` creates.
 */
import { basename } from "node:path";
import { Result } from "effect";
import { kustomizationOf } from "./kustomization.ts";
import type { FilePlace, ManifestFiles } from "./manifest-files.ts";
import { problemAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";
import { parseYamlDocuments } from "./yaml-source.ts";

export const kustomizationFileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
const manifestExtensions = [".yaml", ".yml", ".json"];
/** Nesting of kustomizations; deeper is surely a cycle kustomize would also refuse. */
const kustomizationDepthMax = 32;

export interface ManifestTree {
  manifests: FilePlace[];
  /** Kustomization files read on the way (their text counts in the scenario's source hash). */
  kustomizations: { place: FilePlace; text: string }[];
}

/** `site` is the workload entry's `file` field: problems of the path itself are placed there. */
export function manifestTreeOf(place: FilePlace, files: ManifestFiles, site: Site): Checked<ManifestTree> {
  const tree: ManifestTree = { manifests: [], kustomizations: [] };
  return Result.map(expand(place, files, site, tree, []), () => tree);
}

function expand(place: FilePlace, files: ManifestFiles, site: Site, tree: ManifestTree, stack: string[]): Checked<void> {
  return Result.gen(function* () {
    const kind = files.kindOf(place.readPath);
    if (kind === "directory") {
      const names = files.list(place.readPath);
      if (!Array.isArray(names)) return yield* Result.fail(problemAt(site, `cannot read directory ${place.shownPath}: ${names.error}`));
      const kustomization = yield* kustomizationIn(place, names, site);
      if (kustomization !== undefined) return yield* expandKustomization(yield* placeIn(files, place, kustomization, site), files, site, tree, stack);
      const before = tree.manifests.length;
      for (const name of names.filter((n) => manifestExtensions.some((ext) => n.endsWith(ext)))) {
        const entry = yield* placeIn(files, place, name, site);
        if (files.kindOf(entry.readPath) !== "directory") tree.manifests.push(entry);
      }
      if (tree.manifests.length === before) return yield* Result.fail(problemAt(site, `directory ${place.shownPath} holds no .yaml, .yml or .json file`));
      return;
    }
    if (kind === "file" && kustomizationFileNames.includes(basename(place.readPath))) {
      return yield* expandKustomization(place, files, site, tree, stack);
    }
    tree.manifests.push(place);
  });
}

function kustomizationIn(dir: FilePlace, names: readonly string[], site: Site): Checked<string | undefined> {
  const found = kustomizationFileNames.filter((n) => names.includes(n));
  if (found.length > 1) return Result.fail(problemAt(site, `directory ${dir.shownPath} holds more than one kustomization file (${found.join(", ")}); kustomize refuses that too`));
  return Result.succeed(found[0]);
}

function placeIn(files: ManifestFiles, dir: FilePlace, written: string, site: Site): Checked<FilePlace> {
  const placed = files.within(dir, written);
  return "error" in placed ? Result.fail(problemAt(site, placed.error)) : Result.succeed(placed);
}

function expandKustomization(place: FilePlace, files: ManifestFiles, site: Site, tree: ManifestTree, stack: string[]): Checked<void> {
  return Result.gen(function* () {
    if (stack.includes(place.readPath)) return yield* Result.fail(problemAt(site, `kustomization cycle: ${[...stack, place.readPath].length} kustomizations, back to ${place.shownPath}`));
    if (stack.length >= kustomizationDepthMax) return yield* Result.fail(problemAt(site, `kustomizations nested more than ${kustomizationDepthMax} deep (at ${place.shownPath})`));
    const read = files.read(place.readPath);
    if ("error" in read) return yield* Result.fail(problemAt(site, `cannot read kustomization ${place.shownPath}: ${read.error}`));
    tree.kustomizations.push({ place, text: read.text });
    const docs = parseYamlDocuments(read.text, place.shownPath);
    if (!Array.isArray(docs)) return yield* Result.fail(docs);
    const [doc] = docs;
    if (doc === undefined || docs.length > 1) return yield* Result.fail(problemAt(site, `kustomization ${place.shownPath}: expected one YAML document, found ${docs.length}`));
    const resources = yield* kustomizationOf(doc);
    const dir = { ...place, readPath: dirOf(place.readPath), shownPath: dirOf(place.shownPath), written: dirOf(place.written) };
    for (const { path, site: at } of resources) {
      const resource = files.within(dir, path);
      if ("error" in resource) return yield* Result.fail(problemAt(at, resource.error));
      const kind = files.kindOf(resource.readPath);
      if (kind === "missing") return yield* Result.fail(problemAt(at, `no such file or directory: ${resource.shownPath}`));
      if (kind === "directory") {
        const names = files.list(resource.readPath);
        if (!Array.isArray(names)) return yield* Result.fail(problemAt(at, `cannot read directory ${resource.shownPath}: ${names.error}`));
        const inner = yield* kustomizationIn(resource, names, at);
        // kustomize reads a directory resource only as a kustomization.
        if (inner === undefined) return yield* Result.fail(problemAt(at, `${resource.shownPath} is a directory without a kustomization file (${kustomizationFileNames.join(", ")})`));
        yield* expandKustomization(yield* placeIn(files, resource, inner, at), files, at, tree, [...stack, place.readPath]);
      } else {
        tree.manifests.push(resource);
      }
    }
  });
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
}
