/**
 * An informer: list, then watch from the list's resourceVersion, keeping a store of the objects
 * (client-go tools/cache reflector.go ListAndWatch). What it does about each way a watch ends:
 *
 * - closed by the server (timeoutSeconds, a restart): watch again from the last version seen;
 * - 410 Gone (an HTTP 410 or an ERROR event with code 410: the version was compacted): relist,
 *   and tell the handlers what changed between the old store and the new list;
 * - silent for longer than `silenceMsMax` (no event, not even a bookmark; the client library's
 *   watches are known to stall like this, kubernetes-client/javascript#958): abort and watch again;
 * - any other failure (refused, reset, 5xx): retry after a capped exponential backoff, relisting
 *   when the list itself failed.
 *
 * Stored objects are replaced whole on every change, never mutated; in debug mode they are frozen.
 */
import { backoffDefault, backoffDelayMs, type Backoff } from "./backoff.ts";
import { deepFreeze } from "./freeze.ts";
import { KubeRequestError, type KubeClient, type WatchHandle } from "./kube-client.ts";

export type KubeJson = { metadata: { name: string; namespace?: string; resourceVersion?: string }; [field: string]: unknown };
export type ChangeType = "added" | "updated" | "deleted";
export type ChangeHandler = (type: ChangeType, object: KubeJson, old: KubeJson | undefined) => void;

export interface InformerOptions {
  /** The collection path, e.g. /api/v1/pods or /apis/apps/v1/deployments (all namespaces). */
  path: string;
  backoff?: Backoff;
  /** A watch silent for longer than this is restarted (upstream bookmarks come about every minute). */
  silenceMsMax?: number;
  /** Asked of the server so that it ends watches now and then (client-go picks 5–10 minutes). */
  watchTimeoutSeconds?: number;
  debugFreeze?: boolean;
  /** Called on every failure, for the caller's log. */
  onProblem?: (message: string) => void;
}

export interface InformerStats {
  lists: number;
  watches: number;
  /** Relists because a watch answered 410 Gone. */
  gone: number;
  /** Watches restarted by the watchdog. */
  silentRestarts: number;
  /** Failures retried after a backoff. */
  retries: number;
  /** The backoff delays waited, in order (the last few). */
  delaysMs: number[];
}

type WatchEnd = { end: "closed" } | { end: "gone" } | { end: "silent" } | { end: "failed"; error: KubeRequestError };

const silenceMsMaxDefault = 120_000;
const delaysKept = 20;

export function keyOf(o: KubeJson): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

export class Informer {
  readonly store = new Map<string, KubeJson>();
  readonly stats: InformerStats = { lists: 0, watches: 0, gone: 0, silentRestarts: 0, retries: 0, delaysMs: [] };
  resourceVersion = "";
  private readonly client: KubeClient;
  private readonly options: InformerOptions;
  private readonly handlers: ChangeHandler[] = [];
  private stopped = false;
  private current: WatchHandle | undefined;
  private wake: (() => void) | undefined;
  private syncedResolve!: () => void;
  private syncedReject!: (e: KubeRequestError) => void;
  /** Resolves after the first list; rejects if that first list fails (the caller decides to retry or give up). */
  readonly synced: Promise<void>;
  private hasSynced = false;

  constructor(client: KubeClient, options: InformerOptions) {
    this.client = client;
    this.options = options;
    this.synced = new Promise((resolve, reject) => {
      this.syncedResolve = resolve;
      this.syncedReject = reject;
    });
    this.synced.catch(() => {}); // a failed first list is reported through `synced` to whoever awaits it
  }

  on(handler: ChangeHandler): void {
    this.handlers.push(handler);
  }

  /** Runs until stop(); returns when stopped. */
  async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        if (this.resourceVersion === "") await this.relist();
      } catch (e) {
        const error = e as KubeRequestError;
        if (!this.hasSynced) {
          this.syncedReject(error);
          return;
        }
        attempt = await this.retry(++attempt, `list ${this.options.path}: ${error.message}`);
        continue;
      }
      // stop() during the list: no watch may open after it (nothing would ever end that one)
      if (this.stopped) break;
      const ended = await this.watchOnce();
      if (ended.end === "closed") attempt = 0;
      else if (ended.end === "gone") {
        this.stats.gone++;
        this.resourceVersion = "";
      } else if (ended.end === "silent") this.stats.silentRestarts++;
      else attempt = await this.retry(++attempt, ended.error.message);
    }
    // A watch still being opened when stop() came is aborted once it is answered: wait for that,
    // so no request of this informer outlives run() (a server sees nothing from it afterwards).
    await this.opening;
  }

  stop(): void {
    this.stopped = true;
    this.current?.abort();
    this.wake?.();
  }

  private async retry(attempt: number, message: string): Promise<number> {
    const delayMs = backoffDelayMs(this.options.backoff ?? backoffDefault, attempt);
    this.stats.retries++;
    this.stats.delaysMs.push(delayMs);
    if (this.stats.delaysMs.length > delaysKept) this.stats.delaysMs.shift();
    this.options.onProblem?.(`${message}; retrying in ${delayMs} ms`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delayMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
    return attempt;
  }

  private freeze<T>(o: T): T {
    return this.options.debugFreeze ? deepFreeze(o) : o;
  }

  private async relist(): Promise<void> {
    const list = await this.client.list(this.options.path, {});
    this.stats.lists++;
    const items = ((list.items as KubeJson[] | undefined) ?? []).map((o) => this.freeze(o));
    const fresh = new Map(items.map((o) => [keyOf(o), o]));
    for (const [key, old] of [...this.store]) if (!fresh.has(key)) this.change("deleted", key, old, old);
    for (const [key, o] of fresh) {
      const old = this.store.get(key);
      if (old === undefined) this.change("added", key, o, undefined);
      else if (old.metadata.resourceVersion !== o.metadata.resourceVersion) this.change("updated", key, o, old);
    }
    this.resourceVersion = String((list.metadata as { resourceVersion?: string } | undefined)?.resourceVersion ?? "");
    if (!this.hasSynced) {
      this.hasSynced = true;
      this.syncedResolve();
    }
  }

  private change(type: ChangeType, key: string, object: KubeJson, old: KubeJson | undefined): void {
    if (type === "deleted") this.store.delete(key);
    else this.store.set(key, object);
    for (const h of this.handlers) h(type, object, old);
  }

  private watchOnce(): Promise<WatchEnd> {
    return new Promise((resolve) => {
      let settled = false;
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      const settle = (end: WatchEnd) => {
        if (settled) return;
        settled = true;
        if (watchdog !== undefined) clearTimeout(watchdog);
        this.current?.abort();
        this.current = undefined;
        this.wake = undefined;
        resolve(end);
      };
      const feed = () => {
        if (watchdog !== undefined) clearTimeout(watchdog);
        watchdog = setTimeout(() => settle({ end: "silent" }), this.options.silenceMsMax ?? silenceMsMaxDefault);
      };
      this.wake = () => settle({ end: "closed" });
      feed();
      this.stats.watches++;
      const query = {
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: "true",
        timeoutSeconds: String(this.options.watchTimeoutSeconds ?? 300),
      };
      this.opening = this.client
        .watch(this.options.path, query, (e) => {
          if (settled) return;
          feed();
          this.onWatchEvent(e.type, e.object as KubeJson, settle);
        }, (err) => {
          if (err === undefined) settle({ end: "closed" });
          else if (err.statusCode === 410) settle({ end: "gone" });
          else settle({ end: "failed", error: err });
        })
        .then((handle) => {
          if (settled) handle.abort();
          else this.current = handle;
        });
    });
  }

  /** The request of the last watch opened, settled once its response began (and, if ended meanwhile, it was aborted). */
  private opening: Promise<void> = Promise.resolve();

  private onWatchEvent(type: string, object: KubeJson, settle: (end: WatchEnd) => void): void {
    switch (type) {
      case "ADDED":
      case "MODIFIED": {
        const o = this.freeze(object);
        const key = keyOf(o);
        const old = this.store.get(key);
        this.change(old === undefined ? "added" : "updated", key, o, old);
        break;
      }
      case "DELETED": {
        const key = keyOf(object);
        const old = this.store.get(key);
        if (old !== undefined) this.change("deleted", key, this.freeze(object), old);
        break;
      }
      case "BOOKMARK":
        break;
      case "ERROR": {
        const status = object as { code?: number; message?: string };
        if (status.code === 410) return settle({ end: "gone" });
        return settle({ end: "failed", error: new KubeRequestError(this.client.server, `watch ${this.options.path}: ${status.code ?? "?"} ${status.message ?? ""}`, status.code) });
      }
      default:
        return;
    }
    const rv = object.metadata?.resourceVersion;
    if (rv !== undefined) this.resourceVersion = rv;
  }
}
