/**
 * Discovery documents, as the API server writes them (apimachinery pkg/apis/meta/v1 types.go:
 * APIVersions, APIGroupList, APIGroup, APIResourceList; /version is version.Info). Legacy
 * discovery only: kubectl asks for the aggregated form first and falls back on plain
 * application/json (client-go discovery/aggregated_discovery.go).
 */
import { servedResources, type ServedResource } from "./serve-resources.ts";

/** The Kubernetes minor version the twin's behaviour follows. */
const kubeMinor = "32";
const readVerbs = ["get", "list", "watch"];
const writeVerbs = [...readVerbs, "create", "update", "patch", "delete"];

/** Subresources a live twin writes (kubectl drain looks for pods/eviction, policy/v1 Eviction). */
const subresources: readonly { parent: string; name: string; kind: string; group?: string; version?: string; verbs: string[] }[] = [
  { parent: "pods", name: "binding", kind: "Binding", verbs: ["create"] },
  { parent: "pods", name: "eviction", kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] },
  { parent: "deployments", name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] },
  { parent: "replicasets", name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] },
  { parent: "statefulsets", name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] },
];

export function versionInfo(): unknown {
  return {
    major: "1", minor: kubeMinor, gitVersion: `v1.${kubeMinor}.0-kubetwin`, gitCommit: "", gitTreeState: "clean",
    buildDate: "1970-01-01T00:00:00Z", goVersion: "", compiler: "kubetwin", platform: "linux/amd64",
  };
}

export function coreVersions(serverAddress: string): unknown {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

function groupNames(): string[] {
  return [...new Set(servedResources.map((r) => r.group).filter((g) => g !== ""))].sort();
}

function groupOf(name: string): unknown {
  const versions = [...new Set(servedResources.filter((r) => r.group === name).map((r) => r.version))].map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { kind: "APIGroup", apiVersion: "v1", name, versions, preferredVersion: versions[0] };
}

export function groupList(): unknown {
  return { kind: "APIGroupList", apiVersion: "v1", groups: groupNames().map(groupOf) };
}

export function group(name: string): unknown | undefined {
  return groupNames().includes(name) ? groupOf(name) : undefined;
}

export function resourcesIn(group: string, version: string): ServedResource[] {
  return servedResources.filter((r) => r.group === group && r.version === version);
}

export function resourceList(group: string, version: string, writable = false): unknown | undefined {
  const resources = resourcesIn(group, version);
  if (resources.length === 0) return undefined;
  const verbs = writable ? writeVerbs : readVerbs;
  const subs = writable ? resources.flatMap((r) => subresources.filter((s) => s.parent === r.plural).map((s) => ({
    name: `${r.plural}/${s.name}`, singularName: "", namespaced: r.namespaced, kind: s.kind, verbs: s.verbs,
    ...(s.group !== undefined ? { group: s.group, version: s.version } : {}),
  }))) : [];
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group === "" ? version : `${group}/${version}`,
    resources: resources.map((r) => ({
      name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs,
      ...(r.shortNames.length === 0 ? {} : { shortNames: r.shortNames }),
    })).concat(subs as never[]),
  };
}
