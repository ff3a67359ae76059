import { committedIndex, tallyVotes, type VoteResult } from "./quorum.ts";
import { Progress } from "./progress.ts";
import type { ConfState, NodeId } from "./types.ts";

function sortedUnique(ids: readonly NodeId[]): NodeId[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

/**
 * Membership plus one Progress per member, kept in an array sorted by id (groups are small:
 * a linear scan beats a Map and iteration order is deterministic).
 */
export class ProgressTracker {
  voters: NodeId[] = [];
  learners: NodeId[] = [];
  progress: Progress[] = [];
  readonly maxInflight: number;
  private scratch: number[] = [];

  constructor(maxInflight: number) {
    this.maxInflight = maxInflight;
  }

  confState(): ConfState {
    return { voters: this.voters.slice(), learners: this.learners.slice(), votersOutgoing: [] };
  }

  get(id: NodeId): Progress | undefined {
    const prs = this.progress;
    for (let i = 0; i < prs.length; i++) {
      const pr = prs[i] as Progress;
      if (pr.id === id) return pr;
    }
    return undefined;
  }

  isVoter(id: NodeId): boolean {
    return this.voters.includes(id);
  }

  isSingleton(): boolean {
    return this.voters.length === 1;
  }

  /**
   * Switch to a configuration. Existing members keep their progress; new ones start probing at
   * `nextIndex`, marked recently active so a CheckQuorum right after the add does not count them
   * as silent before they had a chance to answer.
   */
  setConfig(confState: ConfState, nextIndex: number): void {
    const voters = sortedUnique(confState.voters);
    const learners = sortedUnique(confState.learners).filter((id) => !voters.includes(id));
    const members = sortedUnique([...voters, ...learners]);
    const next: Progress[] = [];
    for (const id of members) {
      let pr = this.get(id);
      if (pr === undefined) {
        pr = new Progress(id, nextIndex, this.maxInflight, false);
        pr.recentActive = true;
      }
      pr.isLearner = learners.includes(id);
      next.push(pr);
    }
    this.voters = voters;
    this.learners = learners;
    this.progress = next;
  }

  /** Largest index matched by a majority of voters. */
  committed(): number {
    const voters = this.voters;
    const matches = this.scratch;
    matches.length = 0;
    for (let i = 0; i < voters.length; i++) {
      const pr = this.get(voters[i] as NodeId);
      matches.push(pr === undefined ? 0 : pr.match);
    }
    return committedIndex(matches);
  }

  /** A majority of voters (the caller marks itself active) was heard from recently. */
  quorumActive(): boolean {
    let active = 0;
    let inactive = 0;
    for (const id of this.voters) {
      if (this.get(id)?.recentActive === true) active++;
      else inactive++;
    }
    return tallyVotes(this.voters.length, active, inactive) === "won";
  }

  resetVotes(): void {
    for (const pr of this.progress) pr.vote = 0;
  }

  /** Record the first answer from `id` (later duplicates are ignored). */
  recordVote(id: NodeId, granted: boolean): void {
    const pr = this.get(id);
    if (pr !== undefined && pr.vote === 0) pr.vote = granted ? 1 : -1;
  }

  tally(): { granted: number; rejected: number; result: VoteResult } {
    let granted = 0;
    let rejected = 0;
    for (const id of this.voters) {
      const vote = this.get(id)?.vote ?? 0;
      if (vote === 1) granted++;
      else if (vote === -1) rejected++;
    }
    return { granted, rejected, result: tallyVotes(this.voters.length, granted, rejected) };
  }

  /** Vote result for a set of acknowledging ids (used by read-index rounds). */
  ackResult(acks: ReadonlySet<NodeId>): VoteResult {
    let granted = 0;
    for (const id of this.voters) if (acks.has(id)) granted++;
    return tallyVotes(this.voters.length, granted, 0);
  }
}
