/**
 * The OpenAPI v3 documents kubectl reads before it writes (client-go openapi3 root and
 * resource.QueryParamVerifierV3): the root lists one document per group-version, and each names,
 * per served kind, its POST and PATCH operations (with `x-kubernetes-group-version-kind`) and their
 * `fieldValidation` query parameter, so kubectl leaves validation to the server
 * (`--validate=strict` becomes `?fieldValidation=Strict`) instead of downloading the v2 schema.
 * Schemas of the objects are not served (`kubectl explain` does not work yet); the twin's codec
 * is lenient as kubectl is (unknown fields ignored), so Strict is read as Warn.
 */
import { servedResources, type ServedResource } from "./serve-resources.ts";

function groupVersionPath(r: ServedResource): string {
  return r.group === "" ? `api/${r.version}` : `apis/${r.group}/${r.version}`;
}

export function openApiRoot(): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const r of servedResources) {
    const gv = groupVersionPath(r);
    paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}` };
  }
  return { paths };
}

const fieldValidation = { name: "fieldValidation", in: "query", schema: { type: "string", uniqueItems: true } };

/** The document of one group-version ("api/v1", "apis/apps/v1"), or undefined. */
export function openApiGroupVersion(gv: string): unknown | undefined {
  const resources = servedResources.filter((r) => groupVersionPath(r) === gv);
  if (resources.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of resources) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const op = (action: string) => ({ operationId: `${action}${r.kind}`, "x-kubernetes-action": action, "x-kubernetes-group-version-kind": gvk, parameters: [fieldValidation], responses: {} });
    const collection = r.namespaced ? `/${gv}/namespaces/{namespace}/${r.plural}` : `/${gv}/${r.plural}`;
    paths[collection] = { post: op("post") };
    paths[`${collection}/{name}`] = { patch: op("patch"), put: op("put") };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes (kubetwin)", version: "unversioned" }, paths, components: { schemas: {} } };
}
