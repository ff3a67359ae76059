/**
 * A node's image cache and puller, as upstream's kubelet image manager
 * (pkg/kubelet/images/image_manager.go EnsureImageExists, puller.go serialImagePuller): before a
 * pod's containers start, each container's image is pulled unless its pull policy says otherwise —
 * `IfNotPresent` pulls only an image the node does not have, `Always` asks the registry every time
 * (an image already on the node downloads nothing, its layers are there, but the request takes its
 * turn), `Never` starts only from the node's cache (else ErrImageNeverPull). The policy defaults as
 * the API server's SetDefaults_Container: `Always` for a `:latest` or untagged image, else
 * `IfNotPresent`. With serializeImagePulls (upstream's default) one pull runs at a time in request
 * order; without it every pull starts at once (the bandwidth is not shared: a simplification).
 * A pull takes size ÷ bandwidth; an image of unknown size has the default size (0: instant).
 * Image garbage collection is not modelled: a pulled image stays.
 */
import type { Container, ImagePullPolicy } from "../../model/objects.ts";
import type { Ms } from "../../model/units.ts";

export interface ImagePullParameters {
  /** Download speed of one node, bytes per second. */
  bytesPerSecond: number;
  /** Size of an image the scenario does not list (0: pulls of it take no time). */
  defaultImageBytes: number;
  /** upstream KubeletConfiguration serializeImagePulls (default true). */
  serialize: boolean;
}

/** An image the scenario describes: its size, and whether every node has it from the start. */
export interface ImagePlan {
  image: string;
  sizeBytes: number;
  preloaded: boolean;
}

/** What a pod's images need: when they are all on the node, the longest pull, or an image Never lets it pull. */
export type PodImages = { readyMs: Ms; pulling?: string } | { neverPulled: string };

/** SetDefaults_Container: Always for `:latest` or no tag (a digest counts as pinned), else IfNotPresent. */
export function pullPolicyOf(c: Container): ImagePullPolicy {
  if (c.imagePullPolicy !== undefined) return c.imagePullPolicy;
  const image = c.image ?? "";
  if (image.includes("@")) return "IfNotPresent";
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  const tag = colon > slash ? image.slice(colon + 1) : "";
  return tag === "" || tag === "latest" ? "Always" : "IfNotPresent";
}

export class ImagePuller {
  /** Image → when it is (or will be) on the node. */
  private readonly cache = new Map<string, Ms>();
  /** The serial puller is busy until then. */
  private freeAtMs: Ms = 0;
  private readonly sizes: ReadonlyMap<string, number>;
  private readonly params: ImagePullParameters;

  constructor(params: ImagePullParameters, images: readonly ImagePlan[]) {
    this.params = params;
    this.sizes = new Map(images.map((i) => [i.image, i.sizeBytes]));
    for (const i of images) if (i.preloaded) this.cache.set(i.image, 0);
  }

  /** The machine went down: pulls in flight are lost, what was on disk stays. */
  crashed(nowMs: Ms): void {
    for (const [image, readyMs] of [...this.cache]) if (readyMs > nowMs) this.cache.delete(image);
    this.freeAtMs = nowMs;
  }

  /** Ask for the images of a pod's containers (in order) at `nowMs`. */
  ensure(containers: readonly Container[], nowMs: Ms): PodImages {
    let readyMs = nowMs;
    let pulling: string | undefined;
    for (const c of containers) {
      if (c.image === undefined) continue;
      const policy = pullPolicyOf(c);
      const cachedMs = this.cache.get(c.image);
      let imageReadyMs: Ms;
      if (policy === "Never") {
        if (cachedMs === undefined || cachedMs > nowMs) return { neverPulled: c.image };
        imageReadyMs = cachedMs;
      } else if (policy === "IfNotPresent" && cachedMs !== undefined) imageReadyMs = Math.max(cachedMs, nowMs);
      // Always: a request to the registry; an image on the node (or on its way) downloads nothing.
      else imageReadyMs = Math.max(cachedMs ?? 0, this.pull(c.image, cachedMs !== undefined, nowMs));
      if (imageReadyMs > readyMs) {
        readyMs = imageReadyMs;
        pulling = c.image;
      }
    }
    return pulling === undefined ? { readyMs } : { readyMs, pulling };
  }

  /** One pull request: in turn when serialized; an image already present downloads nothing. */
  private pull(image: string, present: boolean, nowMs: Ms): Ms {
    const bytes = present ? 0 : (this.sizes.get(image) ?? this.params.defaultImageBytes);
    const downloadMs = bytes === 0 ? 0 : Math.ceil((bytes * 1000) / this.params.bytesPerSecond);
    const startMs = this.params.serialize ? Math.max(nowMs, this.freeAtMs) : nowMs;
    const doneMs = startMs + downloadMs;
    if (this.params.serialize) this.freeAtMs = doneMs;
    if (!present) this.cache.set(image, doneMs);
    return doneMs;
  }
}
