/**
 * A kustomization file (kustomize.config.k8s.io/v1beta1 Kustomization) → the resources it lists.
 * Only `resources` (and its deprecated twin `bases`, which kustomize appends to it) is applied; a
 * kustomization that uses any other feature is refused, naming every such field, because the objects
 * `kubectl apply -k` would create differ from the files it lists. Remote resources (URLs, git
 * repositories) are refused: a scenario never reaches the network.
 */
import { Result } from "effect";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";
import type { SourceDoc } from "./yaml-source.ts";

const apiVersions = ["kustomize.config.k8s.io/v1beta1", "kustomize.config.k8s.io/v1"];
/** Fields that do not change what is created. */
const harmless = new Set(["apiVersion", "kind", "metadata", "resources", "bases"]);

export function kustomizationOf(doc: SourceDoc): Checked<{ path: string; site: Site }[]> {
  return Result.gen(function* () {
    const root: Site = { doc, path: [] };
    const value = doc.value;
    if (value === null || typeof value !== "object" || Array.isArray(value)) return yield* Result.fail(problemAt(root, "expected a Kustomization (a mapping with resources)"));
    const k = value as Record<string, unknown>;
    if (k.kind !== undefined && k.kind !== "Kustomization") return yield* Result.fail(problemAt(siteAt(root, "kind"), "expected kind Kustomization (components and other kustomize kinds are not applied)"));
    if (k.apiVersion !== undefined && !apiVersions.includes(k.apiVersion as string)) {
      return yield* Result.fail(problemAt(siteAt(root, "apiVersion"), `expected apiVersion ${apiVersions[0]}`));
    }
    const refused = Object.keys(k).filter((key) => !harmless.has(key));
    if (refused.length > 0) {
      return yield* Result.fail(problemAt(siteAt(root, refused[0] as string), `kustomize features the twin does not apply: ${refused.join(", ")}; only resources are read (render it with "kubectl kustomize DIR > FILE" and name that file instead)`, "key"));
    }
    const out: { path: string; site: Site }[] = [];
    for (const field of ["resources", "bases"] as const) {
      const list = k[field];
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) return yield* Result.fail(problemAt(siteAt(root, field), "expected a list of paths"));
      for (const [i, entry] of list.entries()) {
        const site = siteAt(root, field, i);
        if (typeof entry !== "string" || entry === "") return yield* Result.fail(problemAt(site, "expected a path (a file, or a directory holding a kustomization)"));
        if (/^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\//i.test(entry)) return yield* Result.fail(problemAt(site, "remote resources are not read: a scenario never reaches the network (download it and name the local copy)"));
        out.push({ path: entry, site });
      }
    }
    if (out.length === 0) return yield* Result.fail(problemAt(root, "this kustomization lists no resources"));
    return out;
  });
}
