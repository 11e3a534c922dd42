/** How a command or button click ended, as metrics count it. */
export type Outcome = 'ok' | 'invalid' | 'refused' | 'unavailable' | 'error';

export type LlmOutcome = 'answered' | 'not_covered' | 'uncited' | 'timeout' | 'error';

/**
 * What the bot reports about its own work. The core, the store, the tutor and the scheduler call
 * it; `src/metrics.ts` turns it into Prometheus metrics. Calls must be cheap and never throw.
 */
export interface Telemetry {
  interaction(type: 'command' | 'action', name: string, outcome: Outcome, seconds: number): void;
  answerBatch(size: number, recorded: number, seconds: number): void;
  llmCall(outcome: LlmOutcome, seconds: number): void;
  /** The tutor answered from its own extract instead of the model (timeout, error, no citations). */
  llmFallback(): void;
  scheduledPost(kind: 'daily' | 'weekly' | 'monthly' | 'reveal', outcome: 'done' | 'failed' | 'takeover'): void;
}

export const noTelemetry: Telemetry = {
  interaction() {},
  answerBatch() {},
  llmCall() {},
  llmFallback() {},
  scheduledPost() {},
};
