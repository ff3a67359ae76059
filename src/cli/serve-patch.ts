/**
 * The three patch types the API server accepts (apiserver pkg/endpoints/handlers/patch.go):
 * JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch
 * (apimachinery pkg/util/strategicpatch: lists of objects merged by their merge key, `$patch`
 * directives). The twin's strategic merge knows the one merge key kubectl's patches need for the
 * modelled lists (`name`: containers, env, volumes, volumeMounts; `containerPort`, `port` for
 * ports) and honours `$patch: replace|delete`, `$retainKeys` and `$deleteFromPrimitiveList`;
 * `$setElementOrder` (an ordering hint) is read as the patch's list order already given.
 */
type Json = unknown;
type JsonMap = Record<string, Json>;

export type PatchType = "json" | "merge" | "strategic";

export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const t = (contentType ?? "").split(";")[0]!.trim();
  if (t === "application/json-patch+json") return "json";
  if (t === "application/merge-patch+json") return "merge";
  if (t === "application/strategic-merge-patch+json") return "strategic";
  return undefined;
}

const isMap = (v: Json): v is JsonMap => v !== null && typeof v === "object" && !Array.isArray(v);

export function applyPatch(type: PatchType, target: Json, patch: Json): Json {
  if (type === "json") return jsonPatch(target, patch);
  return type === "merge" ? mergePatch(target, patch) : strategicMerge(target, patch);
}

export function mergePatch(target: Json, patch: Json): Json {
  if (!isMap(patch)) return patch;
  const out: JsonMap = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

const mergeKeys = ["name", "containerPort", "port", "mountPath", "ip"];

function mergeKeyOf(items: readonly Json[]): string | undefined {
  if (items.length === 0 || !items.every(isMap)) return undefined;
  return mergeKeys.find((k) => items.every((i) => (i as JsonMap)[k] !== undefined || (i as JsonMap).$patch !== undefined));
}

function strategicList(target: Json, patch: Json[]): Json[] {
  const key = mergeKeyOf(patch);
  if (key === undefined || !Array.isArray(target) || !target.every(isMap)) return patch.filter((p) => !(isMap(p) && p.$patch !== undefined));
  const out = target.map((t) => t as JsonMap);
  for (const p of patch as JsonMap[]) {
    const at = out.findIndex((t) => t[key] === p[key]);
    if (p.$patch === "delete") {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) out[at] = strategicMerge(out[at], p) as JsonMap;
    else out.push(strategicMerge({}, p) as JsonMap);
  }
  return out;
}

export function strategicMerge(target: Json, patch: Json): Json {
  if (!isMap(patch)) return patch;
  if (patch.$patch === "replace") {
    const { $patch: _, ...rest } = patch;
    return rest;
  }
  if (patch.$patch === "delete") return undefined;
  const out: JsonMap = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith("$")) continue; // directives, below; $setElementOrder/… is an ordering hint only
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = strategicList(out[k], v);
    else {
      const merged = strategicMerge(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    // $deleteFromPrimitiveList/<field>: those values leave the list
    if (k.startsWith("$deleteFromPrimitiveList/") && Array.isArray(v)) {
      const field = k.slice("$deleteFromPrimitiveList/".length);
      if (Array.isArray(out[field])) out[field] = (out[field] as Json[]).filter((x) => !v.some((d) => JSON.stringify(d) === JSON.stringify(x)));
    }
  }
  // $retainKeys: only the keys listed stay (kubectl apply switching a union, e.g. strategy RollingUpdate → Recreate)
  if (Array.isArray(patch.$retainKeys)) for (const k of Object.keys(out)) if (!patch.$retainKeys.includes(k)) delete out[k];
  return out;
}

export class PatchError extends Error {}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new PatchError(`json patch path "${path}" must start with "/"`);
  return path.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(root: Json, parts: string[]): { parent: JsonMap | Json[]; last: string } {
  let at: Json = root;
  for (const p of parts.slice(0, -1)) {
    at = Array.isArray(at) ? at[Number(p)] : isMap(at) ? at[p] : undefined;
    if (at === undefined || at === null || typeof at !== "object") throw new PatchError(`json patch: no such path /${parts.join("/")}`);
  }
  return { parent: at as JsonMap | Json[], last: parts[parts.length - 1] as string };
}

function getAt(root: Json, parts: string[]): Json {
  let at: Json = root;
  for (const p of parts) at = Array.isArray(at) ? at[Number(p)] : isMap(at) ? at[p] : undefined;
  return at;
}

export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw new PatchError("a json patch is a list of operations");
  let root = structuredClone(target);
  for (const op of ops) {
    if (!isMap(op) || typeof op.op !== "string" || typeof op.path !== "string") throw new PatchError("json patch: every operation needs op and path");
    const parts = pointer(op.path);
    const value = op.op === "copy" || op.op === "move" ? structuredClone(getAt(root, pointer(String(op.from)))) : op.value;
    if (op.op === "test") {
      if (JSON.stringify(getAt(root, parts)) !== JSON.stringify(op.value)) throw new PatchError(`json patch: test failed at ${op.path}`);
      continue;
    }
    if (op.op === "move") root = removeAt(root, pointer(String(op.from)));
    if (op.op === "remove") root = removeAt(root, parts);
    else if (op.op === "add" || op.op === "replace" || op.op === "copy" || op.op === "move") {
      if (parts.length === 0) root = value;
      else {
        const { parent, last } = parentOf(root, parts);
        if (Array.isArray(parent)) {
          const i = last === "-" ? parent.length : Number(last);
          if (op.op === "replace") parent[i] = value;
          else parent.splice(i, 0, value);
        } else parent[last] = value;
      }
    } else if (op.op !== "move") throw new PatchError(`json patch: unknown op "${op.op}"`);
  }
  return root;
}

function removeAt(root: Json, parts: string[]): Json {
  const { parent, last } = parentOf(root, parts);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return root;
}
