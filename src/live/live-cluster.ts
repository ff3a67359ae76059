/**
 * The observed cluster: one informer per modelled kind (rest-names.ts), each object read through
 * the one codec (src/k8s) into the model. An object the codec refuses is counted and left out,
 * never guessed at. Decoded objects are replaced on every change; in debug mode they are frozen too.
 */
import { Result } from "effect";
import { decodeKube, type KubeObject } from "../k8s/kinds.ts";
import { deepFreeze } from "./freeze.ts";
import { Informer, keyOf, type ChangeType, type InformerOptions, type KubeJson } from "./informer.ts";
import type { KubeClient } from "./kube-client.ts";
import { collectionPath, modelledResources, type RestNames } from "./rest-names.ts";

export type LiveChange = { type: ChangeType; kind: string; key: string; object: KubeObject | undefined; json: KubeJson; oldJson: KubeJson | undefined };

export interface LiveClusterOptions extends Omit<InformerOptions, "path"> {
  /** Which kinds to watch (default: every modelled kind). */
  kinds?: readonly string[];
}

export class LiveCluster {
  readonly informers = new Map<string, Informer>();
  /** kind → key → the model object, as the codec read it. */
  readonly objects = new Map<string, Map<string, KubeObject>>();
  /** kind → objects the codec refused (with the first problem), keyed like the store. */
  readonly refused = new Map<string, Map<string, string>>();
  private readonly handlers: ((c: LiveChange) => void)[] = [];
  private readonly running: Promise<void>[] = [];
  private readonly debugFreeze: boolean;

  constructor(client: KubeClient, options: LiveClusterOptions = {}) {
    this.debugFreeze = options.debugFreeze ?? false;
    const wanted = options.kinds ?? modelledResources.map((r) => r.kind);
    for (const names of modelledResources.filter((r) => wanted.includes(r.kind))) {
      const informer = new Informer(client, { ...options, path: collectionPath(names) });
      this.objects.set(names.kind, new Map());
      this.refused.set(names.kind, new Map());
      informer.on((type, json, old) => this.onChange(names, type, json, old));
      this.informers.set(names.kind, informer);
    }
  }

  on(handler: (c: LiveChange) => void): void {
    this.handlers.push(handler);
  }

  /** Starts every informer and resolves when each has listed once (rejects on the first failed list). */
  async start(): Promise<void> {
    for (const informer of this.informers.values()) this.running.push(informer.run());
    await Promise.all([...this.informers.values()].map((i) => i.synced));
  }

  async stop(): Promise<void> {
    for (const informer of this.informers.values()) informer.stop();
    await Promise.all(this.running);
  }

  private onChange(names: RestNames, type: ChangeType, json: KubeJson, oldJson: KubeJson | undefined): void {
    const key = keyOf(json);
    const objects = this.objects.get(names.kind)!;
    const refused = this.refused.get(names.kind)!;
    let object: KubeObject | undefined;
    if (type === "deleted") {
      objects.delete(key);
      refused.delete(key);
    } else {
      const decoded = decodeKube({ apiVersion: names.group === "" ? names.version : `${names.group}/${names.version}`, kind: names.kind, ...json });
      if (Result.isSuccess(decoded) && decoded.success.outcome === "object") {
        object = this.debugFreeze ? deepFreeze(decoded.success.object) : decoded.success.object;
        objects.set(key, object);
        refused.delete(key);
      } else {
        objects.delete(key);
        refused.set(key, Result.isFailure(decoded) ? `${decoded.failure.path.join(".")}: ${decoded.failure.message}` : "not modelled");
      }
    }
    for (const h of this.handlers) h({ type, kind: names.kind, key, object, json, oldJson });
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.objects].map(([kind, m]) => [kind, m.size]));
  }
}
