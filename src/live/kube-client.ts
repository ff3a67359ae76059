/**
 * The Kubernetes client service: the one file that imports @kubernetes/client-node. It reads a
 * kubeconfig (a file and a context, the default loading rules, or the in-cluster service account)
 * and offers two verbs over raw Kubernetes JSON, which the codec (src/k8s) then reads:
 *
 * - `list(path, query)`: one GET, answered with the list's JSON;
 * - `watch(path, query, onEvent, onDone)`: a streaming watch through the library's `Watch`.
 *
 * Only GETs leave this file: shadow mode never writes to a cluster. Raw JSON rather than the
 * library's typed models, because those turn times into Date objects and drop fields the codec
 * reads. Errors carry the server's address so that the CLI can name it.
 */
import { request as httpRequest, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { KubeConfig, Watch } from "@kubernetes/client-node";

export interface KubeconfigChoice {
  /** A kubeconfig file; absent: $KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  file?: string;
  context?: string;
}

/** The kubeconfig cannot be read or names no usable cluster. */
export class KubeconfigError extends Error {
  override name = "KubeconfigError";
}

/** A request failed: the server answered an error status, or could not be reached at all. */
export class KubeRequestError extends Error {
  override name = "KubeRequestError";
  readonly server: string;
  /** The HTTP status, or undefined when no answer came (refused, reset, timed out). */
  readonly statusCode: number | undefined;
  constructor(server: string, message: string, statusCode: number | undefined) {
    super(message);
    this.server = server;
    this.statusCode = statusCode;
  }
}

export type WatchEventJson = { type: string; object: Record<string, unknown> };

export interface WatchHandle {
  abort(): void;
}

export interface KubeClient {
  readonly server: string;
  list(path: string, query: Record<string, string>): Promise<Record<string, unknown>>;
  /** `onDone` is called once: with undefined when the server closed the stream, else the error. */
  watch(path: string, query: Record<string, string>, onEvent: (e: WatchEventJson) => void, onDone: (err: KubeRequestError | undefined) => void): Promise<WatchHandle>;
}

function loadConfig(choice: KubeconfigChoice): KubeConfig {
  const config = new KubeConfig();
  try {
    if (choice.file !== undefined) config.loadFromFile(choice.file);
    else config.loadFromDefault();
  } catch (e) {
    throw new KubeconfigError(`cannot read kubeconfig ${choice.file ?? "(default)"}: ${(e as Error).message}`);
  }
  if (choice.context !== undefined) {
    if (config.getContextObject(choice.context) === null) {
      throw new KubeconfigError(`kubeconfig ${choice.file ?? "(default)"} has no context "${choice.context}" (contexts: ${config.getContexts().map((c) => c.name).join(", ") || "none"})`);
    }
    config.setCurrentContext(choice.context);
  }
  const cluster = config.getCurrentCluster();
  if (cluster === null || !/^https?:\/\//.test(cluster.server)) {
    throw new KubeconfigError(`kubeconfig ${choice.file ?? "(default)"}: the current context names no cluster with an http(s) server`);
  }
  return config;
}

function urlOf(server: string, path: string, query: Record<string, string>): URL {
  const url = new URL(server.replace(/\/$/, "") + path);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
}

async function getJson(config: KubeConfig, server: string, url: URL, timeoutMs: number): Promise<Record<string, unknown>> {
  const options: RequestOptions & Record<string, unknown> = { method: "GET", headers: { Accept: "application/json" } };
  await config.applyToHTTPSOptions(options);
  const https = url.protocol === "https:";
  if (!https) delete options.agent;
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(url, { ...options, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const code = res.statusCode ?? 0;
        if (code !== 200) {
          let message = text.slice(0, 300);
          try {
            message = String((JSON.parse(text) as { message?: unknown }).message ?? message);
          } catch {
            // not a Status object: keep the text
          }
          return reject(new KubeRequestError(server, `GET ${url.pathname}: ${code} ${message}`, code));
        }
        try {
          resolve(JSON.parse(text) as Record<string, unknown>);
        } catch {
          reject(new KubeRequestError(server, `GET ${url.pathname}: the answer is not JSON`, code));
        }
      });
      res.on("error", (e) => reject(new KubeRequestError(server, `GET ${url.pathname}: ${e.message}`, undefined)));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on("error", (e) => reject(new KubeRequestError(server, `GET ${url.pathname}: ${e.message}`, undefined)));
    req.end();
  });
}

function requestErrorOf(server: string, path: string, err: unknown): KubeRequestError {
  if (err instanceof KubeRequestError) return err;
  const e = err as { statusCode?: number; message?: string; name?: string; cause?: { message?: string } };
  const detail = e.cause?.message ?? e.message ?? String(err);
  return new KubeRequestError(server, `WATCH ${path}: ${e.statusCode ?? ""} ${detail}`.replace(/\s+/g, " "), e.statusCode);
}

export function connectKubeClient(choice: KubeconfigChoice, options: { requestTimeoutMs?: number } = {}): KubeClient {
  const config = loadConfig(choice);
  const server = (config.getCurrentCluster() as { server: string }).server;
  const watcher = new Watch(config);
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  return {
    server,
    list: (path, query) => getJson(config, server, urlOf(server, path, query), timeoutMs),
    async watch(path, query, onEvent, onDone) {
      let done = false;
      const finish = (err: unknown) => {
        if (done) return;
        done = true;
        onDone(err === null || err === undefined ? undefined : requestErrorOf(server, path, err));
      };
      try {
        const controller = await watcher.watch(path, query, (type: string, object: Record<string, unknown>) => onEvent({ type, object }), finish);
        return { abort: () => { done = true; controller.abort(); } };
      } catch (e) {
        finish(e);
        return { abort: () => {} };
      }
    },
  };
}
