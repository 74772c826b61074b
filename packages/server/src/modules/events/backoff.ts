/** No retry waits longer than this, however many attempts came before. */
export const MAX_RETRY_DELAY_MS = 6 * 60 * 60 * 1000;

/**
 * Delay before retry number `attempt` (1 = the first retry): exponential from `baseMs`,
 * capped, with "equal jitter" (half fixed, half random) so receivers that failed together
 * are not retried in lockstep, while every retry still waits at least half the step.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const step = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
