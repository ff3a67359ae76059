/** `spec.images[]` → the kubelet's image plans (src/sim/kubelet/image-puller.ts): sizes in bytes, one entry per image. */
import { Result } from "effect";
import type { ImagePlan } from "../sim/kubelet/image-puller.ts";
import { bytesOf } from "./formats.ts";
import type { ImageDoc } from "./scenario-schema.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

export function imagesOf(docs: readonly ImageDoc[], site: Site): Checked<ImagePlan[]> {
  const seen = new Set<string>();
  const plans: ImagePlan[] = [];
  for (const [i, doc] of docs.entries()) {
    if (seen.has(doc.image)) return Result.fail(problemAt(siteAt(site, i, "image"), `image "${doc.image}" is listed twice`));
    seen.add(doc.image);
    plans.push({ image: doc.image, sizeBytes: bytesOf(doc.size), preloaded: doc.preloaded ?? false });
  }
  return Result.succeed(plans);
}
