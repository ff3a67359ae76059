/**
 * The pods of a namespace that a label selector matches, sorted by name (what a pod lister with
 * a selector returns). With matchLabels and the view's label index (podsByLabel) only the pods of
 * the rarest label are checked, so a periodic reader (the HPA every 15 s, the load every second)
 * does not scan every pod of the cluster.
 */
import { selectorMatches } from "./labels.ts";
import type { LabelSelector, Pod } from "./objects.ts";
import { labelIndexKey } from "./scheduling-objects.ts";
import type { ClusterView } from "./view.ts";

function candidates(view: ClusterView, namespace: string, selector: LabelSelector): Iterable<string> | undefined {
  const index = view.podsByLabel;
  const labels = selector.matchLabels;
  if (index === undefined || labels === undefined || Object.keys(labels).length === 0) return undefined;
  let smallest: ReadonlySet<string> | undefined;
  for (const key of Object.keys(labels).sort()) {
    const keys = index.get(labelIndexKey(namespace, key, labels[key] as string));
    if (keys === undefined) return [];
    if (smallest === undefined || keys.size < smallest.size) smallest = keys;
  }
  return smallest;
}

export function podsMatching(view: ClusterView, namespace: string, selector: LabelSelector): Pod[] {
  const out: Pod[] = [];
  const keys = candidates(view, namespace, selector);
  const consider = (pod: Pod | undefined): void => {
    if (pod !== undefined && pod.metadata.namespace === namespace && selectorMatches(selector, pod.metadata.labels)) out.push(pod);
  };
  if (keys === undefined) for (const pod of view.pods.values()) consider(pod);
  else for (const key of keys) consider(view.pods.get(key));
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}
