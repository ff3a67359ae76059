/**
 * Quorum math, pure. A majority of n voters is floor(n/2)+1. The committed index of a
 * configuration is the largest index that a majority has matched: sort match indexes descending
 * and take the (majority)-th one, i.e. the "median" for odd n.
 * Joint configurations (reserved) need both halves: committed = min, vote = both won.
 */

export type VoteResult = "won" | "lost" | "pending";

export function majority(voterCount: number): number {
  return (voterCount >> 1) + 1;
}

/**
 * Largest index matched by a majority of `matches` (one entry per voter). Sorts `matches` in
 * place (callers pass a scratch array). An empty configuration commits nothing.
 */
export function committedIndex(matches: number[]): number {
  const n = matches.length;
  if (n === 0) return 0;
  // insertion sort, descending: n is tiny (≤ 7 typically) and this runs on every ack
  for (let i = 1; i < n; i++) {
    const x = matches[i] as number;
    let j = i - 1;
    while (j >= 0 && (matches[j] as number) < x) {
      matches[j + 1] = matches[j] as number;
      j--;
    }
    matches[j + 1] = x;
  }
  return matches[majority(n) - 1] as number;
}

/** Election outcome so far, from how many voters granted and rejected (the rest are missing). */
export function tallyVotes(voterCount: number, granted: number, rejected: number): VoteResult {
  if (voterCount === 0) return "won"; // an empty config agrees with anything (joint halves)
  const q = majority(voterCount);
  if (granted >= q) return "won";
  if (voterCount - rejected < q) return "lost";
  return "pending";
}

/** Joint-configuration composition of two committed indexes (both majorities must hold). */
export function jointCommittedIndex(incoming: number, outgoing: number): number {
  return Math.min(incoming, outgoing);
}

export function jointVoteResult(incoming: VoteResult, outgoing: VoteResult): VoteResult {
  if (incoming === outgoing) return incoming;
  if (incoming === "lost" || outgoing === "lost") return "lost";
  return "pending";
}
