/**
 * The OpenAPI v3 documents kubectl reads before it writes (client-go openapi3 root and
 * resource.QueryParamVerifierV3): the root lists one document per group-version, and each names,
 * per served kind, its POST and PATCH operations (with `x-kubernetes-group-version-kind`) and their
 * `fieldValidation` query parameter, so kubectl leaves validation to the server
 * (`--validate=strict` becomes `?fieldValidation=Strict`) instead of downloading the v2 schema.
 * Each kind's schema is the one codec's wire schema (Effect Schema's JSON Schema of what the codec
 * reads and writes), tagged with its group-version-kind, which is what `kubectl explain` looks up:
 * it shows the fields the twin reads, not upstream's whole type, and no descriptions. The codec is
 * lenient as kubectl is (unknown fields ignored), so Strict is read as Warn.
 */
import { Schema } from "effect";
import { codecsOfKind } from "../k8s/kinds.ts";
import { apiVersionOf, servedResources, type ServedResource } from "./serve-resources.ts";

/** The OpenAPI schema name of a served kind (upstream: io.k8s.api.<group>.<version>.<Kind>). */
function schemaName(r: ServedResource): string {
  return `io.kubetwin.${r.group === "" ? "core" : r.group}.${r.version}.${r.kind}`;
}

const schemas = new Map<string, unknown>();

/** Effect writes a JSON number as "a number, or the text Infinity / -Infinity / NaN"; Kubernetes' numbers are plain. */
function plainNumbers(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(plainNumbers);
  if (node === null || typeof node !== "object") return node;
  const o = node as Record<string, unknown>;
  const any = o.anyOf;
  if (Array.isArray(any) && any.length === 2 && (any[0] as { type?: string }).type === "number" && Array.isArray((any[1] as { enum?: unknown[] }).enum) && (any[1] as { enum: unknown[] }).enum.includes("NaN")) {
    const { anyOf: _anyOf, ...rest } = o;
    return { ...rest, type: "number" };
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plainNumbers(v)]));
}

/** The codec's JSON Schema of a kind (computed once), or undefined for kinds without a codec (Events, NodeMetrics). */
function schemaOf(r: ServedResource): unknown {
  const name = schemaName(r);
  if (!schemas.has(name)) {
    const entry = codecsOfKind(r.kind).find((e) => e.apiVersion === apiVersionOf(r));
    const schema = entry === undefined ? undefined : { ...(plainNumbers(Schema.toJsonSchemaDocument(entry.codec).schema) as object), description: `${r.kind} as the twin reads it (the fields its codec models)`, "x-kubernetes-group-version-kind": [{ group: r.group, version: r.version, kind: r.kind }] };
    schemas.set(name, schema);
  }
  return schemas.get(name);
}

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
  const components: Record<string, unknown> = {};
  for (const r of resources) {
    const schema = schemaOf(r);
    if (schema !== undefined) components[schemaName(r)] = schema;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const op = (action: string) => ({ operationId: `${action}${r.kind}`, "x-kubernetes-action": action, "x-kubernetes-group-version-kind": gvk, parameters: [fieldValidation], responses: {} });
    const collection = r.namespaced ? `/${gv}/namespaces/{namespace}/${r.plural}` : `/${gv}/${r.plural}`;
    paths[collection] = { post: op("post") };
    paths[`${collection}/{name}`] = { patch: op("patch"), put: op("put") };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes (kubetwin)", version: "unversioned" }, paths, components: { schemas: components } };
}

/** A protobuf string field (wire type 2). */
function protoString(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2, bytes.length]), bytes]);
}

/**
 * The /openapi/v2 document kubectl falls back on (protobuf: gnostic's openapi_v2.Document) for a
 * kind the v3 documents do not name: swagger "2.0" and its info, no definitions. kubectl's client-side
 * validation finds no schema for the kind and lets it through; the REST mapping then says that the
 * twin does not serve it ("no matches for kind"), instead of "failed to download openapi".
 */
export function openApiV2Protobuf(): Buffer {
  const info = Buffer.concat([protoString(1, Buffer.from("Kubernetes (kubetwin)")), protoString(2, Buffer.from("v1.32.0"))]);
  return Buffer.concat([protoString(1, Buffer.from("2.0")), protoString(2, info)]);
}

/** What the API server answers (kubectl asks for ...spec.v2@v1.0+protobuf, which a Go mime parser does not read back). */
export const openApiV2ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
