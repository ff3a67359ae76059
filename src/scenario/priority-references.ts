/**
 * Cross-object checks of priority classes, made once every manifest is read: a pod (template)
 * names a PriorityClass the scenario defines or a built-in system class (else admission would
 * reject every one of its pods), and at most one class is the global default (upstream rejects a
 * second).
 */
import { Result } from "effect";
import { systemPriorityClasses } from "../k8s/priority-class.ts";
import { known, problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

export interface PriorityReferences {
  /** PriorityClass name → the site of its manifest, and whether it is the global default. */
  defined: Map<string, { site: Site; globalDefault: boolean }>;
  /** Pod (template) specs that name a class, in file order. */
  used: { name: string; site: Site }[];
}

export function emptyPriorityReferences(): PriorityReferences {
  return { defined: new Map(), used: [] };
}

export function checkPriorityReferences(refs: PriorityReferences): Checked<void> {
  let globalDefault: string | undefined;
  for (const [name, { site, globalDefault: isDefault }] of refs.defined) {
    if (!isDefault) continue;
    if (globalDefault !== undefined) {
      return Result.fail(problemAt(siteAt(site, "globalDefault"), `only one PriorityClass may be the global default; "${globalDefault}" already is`));
    }
    globalDefault = name;
  }
  for (const { name, site } of refs.used) {
    if (refs.defined.has(name) || systemPriorityClasses.has(name)) continue;
    const names = new Set([...refs.defined.keys(), ...systemPriorityClasses.keys()]);
    return Result.fail(problemAt(site, `no PriorityClass "${name}" in this scenario (admission would reject these pods); add a scheduling.k8s.io/v1 PriorityClass${known(names)}`));
  }
  return Result.succeed(undefined);
}
