/**
 * The twin over the Kubernetes API: an HTTP server on 127.0.0.1 answering discovery, get, list and
 * watch for the served world (read-only: every write is 405 MethodNotAllowed). Requests follow the
 * API server's REST layout (/api/v1/…, /apis/<group>/<version>/…, namespaced under
 * /namespaces/<ns>/); errors are metav1.Status objects; watches stream one JSON event per line
 * (apiserver pkg/endpoints/handlers/watch.go), with BOOKMARK events when asked for and an ERROR
 * event with code 410 for a version older than the world's window (storage/cacher "too old
 * resource version"). `limit` is honoured by returning everything at once (no continue token),
 * which the API allows.
 *
 * For tests of clients, `faults` makes the next watches fail as real servers do: answered 410 Gone,
 * or accepted and then silent forever (kubernetes-client/javascript#958).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { coreVersions, group, groupList, resourceList, resourcesIn, versionInfo } from "./serve-discovery.ts";
import { apiVersionOf, type KubeJson, type ServedResource } from "./serve-resources.ts";
import { fieldSelectorOf, labelSelectorOf } from "./serve-selectors.ts";
import { tableOf, wantsTable } from "./serve-table.ts";
import type { ServedWorld, WatchEvent } from "./serve-world.ts";
import { isKubeProtobuf, ProtobufError, protobufToJson } from "./serve-protobuf.ts";
import { openApiGroupVersion, openApiRoot, openApiV2ContentType, openApiV2Protobuf } from "./serve-openapi.ts";
import { scaleOf } from "./serve-scale.ts";
import type { ServedWrites } from "./serve-writes.ts";

export interface ServeFaults {
  /** The next this-many watches are answered with an ERROR event, code 410 (Gone). */
  goneWatches: number;
  /** The next this-many watches are accepted (headers sent, as a real server does) and then never sent anything. */
  silentWatches: number;
  /** When set, only watches of this collection path (e.g. "/api/v1/pods") count against silentWatches. */
  silentWatchPath?: string;
}

export interface SeenRequest {
  method: string;
  url: string;
}

export interface TwinServerOptions {
  /** 0: any free port. */
  port: number;
  /** How often a watch that asked for bookmarks gets one (upstream: about every minute). */
  bookmarkMs?: number;
  /** Where writes go (a live twin); without it every write is 405 (a logged run is read-only). */
  writes?: ServedWrites;
}

const bookmarkMsDefault = 60_000;
const host = "127.0.0.1";

type Json = Record<string, unknown>;

function status(code: number, reason: string, message: string, details?: Json): Json {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code };
}

function send(res: ServerResponse, code: number, body: unknown, warnings: readonly string[] = []): void {
  const text = JSON.stringify(body);
  // RFC 7234 warn-code 299 (miscellaneous persistent warning), as the API server writes its warnings
  if (warnings.length > 0) res.setHeader("Warning", warnings.map((w) => `299 - ${JSON.stringify(w)}`));
  res.writeHead(code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** What a resource path names. */
interface Target {
  resource: ServedResource;
  namespace: string | undefined;
  name: string | undefined;
  /** "scale", "eviction", "status" …: the path's last segment after the name. */
  subresource: string | undefined;
}

function targetOf(group: string, version: string, rest: string[]): Target | "not found" {
  const resources = resourcesIn(group, version);
  const find = (plural: string | undefined) => resources.find((r) => r.plural === plural);
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const resource = find(rest[2]);
    if (resource === undefined || !resource.namespaced || rest.length > 5) return "not found";
    return { resource, namespace: rest[1], name: rest[3], subresource: rest[4] };
  }
  const resource = find(rest[0]);
  if (resource === undefined || rest.length > 3) return "not found";
  if (resource.namespaced && rest.length >= 2) return "not found";
  return { resource, namespace: undefined, name: rest[1], subresource: rest[2] };
}

/** A request's body (empty: undefined): JSON, or the protobuf kubectl's typed clients send, read into JSON. */
async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  if (isKubeProtobuf(req.headers["content-type"])) return protobufToJson(bytes);
  const text = bytes.toString("utf8");
  return text.trim() === "" ? undefined : JSON.parse(text);
}

export class TwinServer {
  readonly world: ServedWorld;
  readonly faults: ServeFaults = { goneWatches: 0, silentWatches: 0 };
  /** Every request, in arrival order (tests check what a client sent). */
  readonly requests: SeenRequest[] = [];
  private readonly server: Server;
  private readonly options: TwinServerOptions;
  /** Each open watch stream and how to end it. */
  private readonly openWatches = new Map<ServerResponse, () => void>();

  constructor(world: ServedWorld, options: TwinServerOptions) {
    this.world = world;
    this.options = options;
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port, host, () => resolve());
    });
    return this.port;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://${host}:${this.port}`;
  }

  get openWatchCount(): number {
    return this.openWatches.size;
  }

  /** Ends every open watch stream, as an API server does when a watch times out or it restarts. */
  endWatches(): void {
    for (const end of [...this.openWatches.values()]) end();
  }

  /** Ends every watch and closes the listener. */
  async stop(): Promise<void> {
    this.endWatches();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://twin");
    this.requests.push({ method: req.method ?? "GET", url: url.pathname + url.search });
    if (req.method !== "GET" && this.options.writes === undefined) return send(res, 405, status(405, "MethodNotAllowed", `the served twin is read-only: ${req.method} is not allowed`));
    const parts = url.pathname.split("/").filter((p) => p !== "");
    if (url.pathname === "/version") return send(res, 200, versionInfo());
    if (url.pathname === "/openapi/v2") {
      const body = openApiV2Protobuf();
      res.writeHead(200, { "Content-Type": openApiV2ContentType, "Content-Length": body.length });
      return void res.end(body);
    }
    if (parts[0] === "openapi" && parts[1] === "v3") {
      const doc = parts.length === 2 ? openApiRoot() : openApiGroupVersion(parts.slice(2).join("/"));
      return doc === undefined ? this.notFound(res, url.pathname) : send(res, 200, doc);
    }
    if (parts[0] === "api") {
      if (parts.length === 1) return send(res, 200, coreVersions(`${host}:${this.port}`));
      return this.resourceRequest("", parts[1] as string, parts.slice(2), url, req, res);
    }
    if (parts[0] === "apis") {
      if (parts.length === 1) return send(res, 200, groupList());
      if (parts.length === 2) {
        const g = group(parts[1] as string);
        return g === undefined ? this.notFound(res, url.pathname) : send(res, 200, g);
      }
      return this.resourceRequest(parts[1] as string, parts[2] as string, parts.slice(3), url, req, res);
    }
    return this.notFound(res, url.pathname);
  }

  private notFound(res: ServerResponse, path: string): void {
    send(res, 404, status(404, "NotFound", `the server could not find the requested resource (${path})`));
  }

  private resourceRequest(g: string, version: string, rest: string[], url: URL, req: IncomingMessage, res: ServerResponse): void {
    if (rest.length === 0) {
      const list = resourceList(g, version, this.options.writes !== undefined);
      return list === undefined ? this.notFound(res, url.pathname) : send(res, 200, list);
    }
    const target = targetOf(g, version, rest);
    if (target === "not found") return this.notFound(res, url.pathname);
    if (req.method !== "GET") return this.write(target, url, req, res);
    if (target.subresource === "scale") {
      const key = target.resource.namespaced ? `${target.namespace ?? ""}/${target.name}` : (target.name as string);
      const scale = scaleOf(this.world.get(target.resource, key), target.resource);
      return scale === undefined ? this.notFound(res, url.pathname) : send(res, 200, scale);
    }
    if (target.subresource !== undefined) return this.notFound(res, url.pathname);
    if (target.name !== undefined) return this.getOne(target, req, res);
    const labels = labelSelectorOf(url.searchParams.get("labelSelector"));
    const fields = fieldSelectorOf(url.searchParams.get("fieldSelector"), target.resource.kind);
    if (!labels.ok || !fields.ok) return send(res, 400, status(400, "BadRequest", labels.ok ? (fields as { message: string }).message : labels.message));
    const matches = (o: KubeJson) =>
      (target.namespace === undefined || o.metadata.namespace === target.namespace) && labels.matches(o) && fields.matches(o);
    if (url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1") return this.watch(target.resource, matches, url, req, res);
    const items = this.world.list(target.resource).filter(matches);
    const rv = String(this.world.revision);
    if (wantsTable(req.headers.accept)) return send(res, 200, tableOf(target.resource.kind, items, this.world.nowMs, rv));
    send(res, 200, { kind: `${target.resource.kind}List`, apiVersion: apiVersionOf(target.resource), metadata: { resourceVersion: rv }, items });
  }

  private write(target: Target, url: URL, req: IncomingMessage, res: ServerResponse): void {
    const writes = this.options.writes as ServedWrites;
    bodyOf(req)
      .then((body) => writes.write({ method: req.method ?? "POST", ...target, contentType: req.headers["content-type"], body, query: url.searchParams }))
      .then((answer) => send(res, answer.code, answer.body, answer.warnings))
      .catch((e: unknown) => {
        if (e instanceof ProtobufError) return send(res, 415, status(415, "UnsupportedMediaType", e.message));
        const bad = e instanceof SyntaxError;
        send(res, bad ? 400 : 500, status(bad ? 400 : 500, bad ? "BadRequest" : "InternalError", (e as Error).message));
      });
  }

  private getOne(target: Target, req: IncomingMessage, res: ServerResponse): void {
    const r = target.resource;
    const key = r.namespaced ? `${target.namespace ?? ""}/${target.name}` : (target.name as string);
    const object = this.world.get(r, key);
    if (object === undefined) return send(res, 404, status(404, "NotFound", `${r.plural}${r.group === "" ? "" : `.${r.group}`} "${target.name}" not found`, { name: target.name, group: r.group, kind: r.plural }));
    if (wantsTable(req.headers.accept)) return send(res, 200, tableOf(r.kind, [object], this.world.nowMs, String(this.world.revision)));
    send(res, 200, object);
  }

  private watch(resource: ServedResource, matches: (o: KubeJson) => boolean, url: URL, req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
    // headers at once, as upstream begins every watch stream (apiserver endpoints/handlers/watch.go:
    // WriteHeader(200), then Flush): a client waiting on a quiet watch's answer is not left hanging
    res.flushHeaders();
    const cleanups: (() => void)[] = [];
    const close = () => {
      for (const c of cleanups) c();
      cleanups.length = 0;
      this.openWatches.delete(res);
    };
    const end = () => {
      close();
      res.end();
    };
    this.openWatches.set(res, end);
    req.on("close", close);
    res.on("close", close);
    const silentHere = this.faults.silentWatchPath === undefined || this.faults.silentWatchPath === url.pathname;
    if (this.faults.silentWatches > 0 && silentHere) {
      this.faults.silentWatches--;
      return; // accepted, then nothing: the client must notice on its own
    }
    const table = wantsTable(req.headers.accept);
    let columnsSent = false;
    const write = (type: string, object: unknown) => {
      if (!res.writableEnded) res.write(JSON.stringify({ type, object }) + "\n");
    };
    const writeObject = (type: string, object: KubeJson) => {
      if (!table) return write(type, object);
      write(type, tableOf(resource.kind, [object], this.world.nowMs, object.metadata.resourceVersion ?? "", !columnsSent));
      columnsSent = true;
    };
    const fail = (code: number, reason: string, message: string) => {
      write("ERROR", status(code, reason, message));
      end();
    };
    if (this.faults.goneWatches > 0) {
      this.faults.goneWatches--;
      return fail(410, "Expired", "too old resource version (injected)");
    }
    const rvText = url.searchParams.get("resourceVersion") ?? "";
    const onEvent = (e: WatchEvent) => {
      if (e.resource === resource && matches(e.object)) writeObject(e.type, e.object);
    };
    if (rvText === "" || rvText === "0") {
      // No version: start with the current objects as ADDED (upstream watch semantics).
      for (const o of this.world.list(resource)) if (matches(o)) writeObject("ADDED", o);
    } else {
      if (!/^\d+$/.test(rvText)) return fail(400, "BadRequest", `invalid resource version "${rvText}"`);
      const backlog = this.world.since(Number(rvText));
      if (backlog === "gone") return fail(410, "Expired", `too old resource version: ${rvText} (${this.world.revision})`);
      if (backlog === "future") return fail(504, "Timeout", `Too large resource version: ${rvText}, current: ${this.world.revision}`);
      for (const e of backlog) onEvent(e);
    }
    cleanups.push(this.world.subscribe(onEvent));
    if (url.searchParams.get("allowWatchBookmarks") === "true") {
      const timer = setInterval(() => write("BOOKMARK", { kind: resource.kind, apiVersion: apiVersionOf(resource), metadata: { resourceVersion: String(this.world.revision) } }), this.options.bookmarkMs ?? bookmarkMsDefault);
      cleanups.push(() => clearInterval(timer));
    }
    const timeoutSeconds = Number(url.searchParams.get("timeoutSeconds") ?? "0");
    if (timeoutSeconds > 0) {
      const timer = setTimeout(end, timeoutSeconds * 1000);
      cleanups.push(() => clearTimeout(timer));
    }
  }
}
