import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LlmOutcome, Outcome, Telemetry } from './telemetry.ts';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Telemetry as Prometheus metrics, served at /metrics. */
export class PrometheusTelemetry implements Telemetry {
  readonly registry = new Registry();
  private readonly interactions = new Counter({
    name: 'cohort_interactions_total',
    help: 'Commands and button clicks handled, by type, name and outcome',
    labelNames: ['type', 'name', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly interactionSeconds = new Histogram({
    name: 'cohort_interaction_duration_seconds',
    help: 'Time to handle a command or button click in the core, by type and name',
    labelNames: ['type', 'name'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly answers = new Counter({
    name: 'cohort_answers_recorded_total',
    help: 'Answers written to the ledger',
    registers: [this.registry],
  });
  private readonly batchSize = new Histogram({
    name: 'cohort_answer_batch_size',
    help: 'Answers per group-committed ledger batch',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
    registers: [this.registry],
  });
  private readonly batchSeconds = new Histogram({
    name: 'cohort_answer_batch_duration_seconds',
    help: 'Time to write one ledger batch',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly llmCalls = new Counter({
    name: 'cohort_llm_calls_total',
    help: 'Calls to the configured LLM by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly llmSeconds = new Histogram({
    name: 'cohort_llm_call_duration_seconds',
    help: 'Time of calls to the configured LLM',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly llmFallbacks = new Counter({
    name: 'cohort_llm_fallbacks_total',
    help: 'Tutor answers written from the notes because the LLM timed out, failed or cited nothing',
    registers: [this.registry],
  });
  private readonly scheduled = new Counter({
    name: 'cohort_scheduler_posts_total',
    help: 'Scheduled posts and reveals by kind and outcome (takeover: a claim retried after its lease)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'cohort_' });
  }

  interaction(type: 'command' | 'action', name: string, outcome: Outcome, seconds: number): void {
    this.interactions.inc({ type, name, outcome });
    this.interactionSeconds.observe({ type, name }, seconds);
  }

  answerBatch(size: number, recorded: number, seconds: number): void {
    this.answers.inc(recorded);
    this.batchSize.observe(size);
    this.batchSeconds.observe(seconds);
  }

  llmCall(outcome: LlmOutcome, seconds: number): void {
    this.llmCalls.inc({ outcome });
    this.llmSeconds.observe(seconds);
  }

  llmFallback(): void {
    this.llmFallbacks.inc();
  }

  scheduledPost(kind: 'daily' | 'weekly' | 'monthly' | 'reveal', outcome: 'done' | 'failed' | 'takeover'): void {
    this.scheduled.inc({ kind, outcome });
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
