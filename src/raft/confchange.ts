import { assert } from "../model/assert.ts";
import type { ConfChange, ConfChangeType, ConfState, NodeId } from "./types.ts";

/** Expected refusals of a membership change (values, not exceptions). */
export type ConfChangeRefusal = "removesLastVoter" | "invalidNodeId";

/**
 * The configuration after one single-server change (pure). addNode adds a voter or promotes a
 * learner; addLearner adds a learner or demotes a voter; removeNode removes either.
 */
export function applyConfChangeTo(conf: ConfState, cc: ConfChange): ConfState | ConfChangeRefusal {
  if (!Number.isSafeInteger(cc.nodeId) || cc.nodeId <= 0) return "invalidNodeId";
  const voters = conf.voters.filter((id) => id !== cc.nodeId);
  const learners = conf.learners.filter((id) => id !== cc.nodeId);
  if (cc.type === "addNode") voters.push(cc.nodeId);
  else if (cc.type === "addLearner") learners.push(cc.nodeId);
  if (voters.length === 0) return "removesLastVoter";
  voters.sort((a, b) => a - b);
  learners.sort((a, b) => a - b);
  return { voters, learners, votersOutgoing: [] };
}

const TYPES: readonly ConfChangeType[] = ["addNode", "removeNode", "addLearner"];

/** Entry data of a confChange entry: "addNode 4" (cheap, readable, no JSON). */
export function encodeConfChange(cc: ConfChange): string {
  return `${cc.type} ${cc.nodeId}`;
}

/** Inverse of encodeConfChange; null for the empty data of a replaced (no-op) conf change. */
export function decodeConfChange(data: string): ConfChange | null {
  if (data === "") return null;
  const space = data.indexOf(" ");
  const type = data.slice(0, space) as ConfChangeType;
  const nodeId = Number(data.slice(space + 1));
  assert(space > 0 && TYPES.includes(type) && Number.isSafeInteger(nodeId), `bad conf change data "${data}"`);
  return { type, nodeId };
}

export function formatConfState(conf: ConfState): string {
  const learners = conf.learners.length > 0 ? ` learners=(${conf.learners.join(" ")})` : "";
  return `voters=(${conf.voters.join(" ")})${learners}`;
}

export function sameMembers(a: readonly NodeId[], b: readonly NodeId[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
