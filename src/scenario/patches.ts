/**
 * Patches a variant applies to a scenario's objects, in the two shapes kubectl knows:
 *  - JSON merge patch (RFC 7386): maps merge, `null` removes a field, any other value (lists
 *    included) replaces;
 *  - strategic merge patch (k8s.io/apimachinery strategicpatch, reduced to what scenarios need):
 *    like a merge patch, but lists of named things merge item by item on their merge key (the
 *    `patchMergeKey` upstream gives them: containers and volumes by `name`, ports by
 *    `containerPort`, topology spread constraints by `topologyKey`), an item `{$patch: delete, …}`
 *    removes the matching item, and `$patch: replace` on a map replaces it instead of merging.
 *    Lists without a merge key are replaced, as upstream does for atomic lists (tolerations…).
 * Both work on plain JSON and never mutate their inputs.
 */
type Json = unknown;

function isMap(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function mergePatch(target: Json, patch: Json): Json {
  if (!isMap(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** List field name → the key its items merge on (upstream patchMergeKey). */
export const mergeKeys: Readonly<Record<string, string>> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  env: "name",
  envFrom: "prefix",
  ports: "containerPort",
  imagePullSecrets: "name",
  topologySpreadConstraints: "topologyKey",
  hostAliases: "ip",
  volumeClaimTemplates: "name",
  resourceClaims: "name",
};

const directive = "$patch";

export function strategicPatch(target: Json, patch: Json, field?: string): Json {
  if (Array.isArray(patch)) return Array.isArray(target) && field !== undefined && mergeKeys[field] !== undefined ? mergeList(target, patch, mergeKeys[field] as string) : structuredClone(patch);
  if (!isMap(patch)) return structuredClone(patch);
  if (patch[directive] === "replace") {
    const { [directive]: _, ...rest } = patch;
    return structuredClone(rest);
  }
  const out: Record<string, Json> = isMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === directive) continue;
    if (value === null) delete out[key];
    else out[key] = strategicPatch(out[key], value, key);
  }
  return out;
}

function itemKey(item: Json, mergeKey: string): Json {
  if (!isMap(item)) return undefined;
  // volumeClaimTemplates are objects with metadata.name.
  return mergeKey === "name" && item.name === undefined && isMap(item.metadata) ? item.metadata.name : item[mergeKey];
}

function mergeList(target: readonly Json[], patch: readonly Json[], mergeKey: string): Json[] {
  const out = target.map((x) => structuredClone(x));
  for (const item of patch) {
    const key = itemKey(item, mergeKey);
    const at = key === undefined ? -1 : out.findIndex((x) => itemKey(x, mergeKey) === key);
    if (isMap(item) && item[directive] === "delete") {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) out[at] = strategicPatch(out[at], item);
    else out.push(structuredClone(item));
  }
  return out;
}
