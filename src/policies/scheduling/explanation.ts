/** Why a pod went where it went: a compact summary per cycle, per-node detail in explain mode. */
import type { FilterRecord } from "./framework.ts";

export interface ScoreRecord {
  readonly plugin: string;
  readonly raw: number;
  readonly normalized: number;
  readonly weight: number;
}

export interface NodeExplanation {
  readonly name: string;
  readonly filter: readonly FilterRecord[];
  readonly scores: readonly ScoreRecord[];
  /** Σ normalized × weight; null when the node did not pass the filters. */
  readonly total: number | null;
}

export interface Explanation {
  readonly profile: string;
  readonly nodesTotal: number;
  /** Nodes the filters ran on (fewer than total when percentageOfNodesToScore sampling stopped early). */
  readonly nodesEvaluated: number;
  readonly nodesFeasible: number;
  /** Filter reason → number of nodes rejected for it (upstream's FitError histogram). */
  readonly rejections: readonly { reason: string; count: number }[];
  /** Plugins that rejected at least one node (sorted); feed to the queue's onPodUnschedulable. */
  readonly rejectedPlugins: readonly string[];
  readonly selectedNode: string | null;
  readonly selectedScore: number | null;
  /** Every evaluated node with every plugin's verdict and score (explain mode only). */
  readonly nodes?: readonly NodeExplanation[];
}
