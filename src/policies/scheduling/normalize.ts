/** Score normalization helpers shared by plugins (upstream helper.DefaultNormalizeScore). */
export const maxNodeScore = 100;

/** Scales so the best raw score becomes 100 (trunc); `reverse` flips to 100 - s. */
export function defaultNormalizeScore(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(maxNodeScore);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((maxNodeScore * (scores[i] as number)) / max);
    if (reverse) s = maxNodeScore - s;
    scores[i] = s;
  }
}

/** Go's math.Round: halves away from zero. */
export function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
