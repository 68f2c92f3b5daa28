/**
 * The local stack's webhook queue: what the EventBridge rule, the SQS queue and its dead-letter queue
 * are on AWS. It subscribes to the local event sink, delivers each event with the same use case the
 * WebhookDelivery function runs, retries an event whose destinations failed in a way worth retrying
 * after growing delays, and after `maxReceives` attempts dead-letters it (kept in memory and, when a
 * file is given, appended to it as one JSON line).
 */
import { appendFileSync } from 'node:fs';
import type { DomainEvent } from '../../shared/domain/events.js';
import { retryDelayMs, toWebhookEvent } from '../../shared/domain/webhooks.js';
import { subscribeLocalEvents } from '../../shared/adapters/events/local-subscribers.js';
import { deliverWebhookEvent, type DeliverWebhooksDeps, type DeliveryOutcome } from '../../shared/usecases/deliver-webhooks.js';

export interface DeadLetter {
  eventId: string;
  type: string;
  attempts: number;
  failures: { webhookId: string; detail: string }[];
  at: string;
  event: DomainEvent;
}

export interface LocalWebhookQueueOptions {
  /** The delivery's dependencies, built per attempt (configuration is read at call time). */
  deps: () => DeliverWebhooksDeps;
  /** Attempts before dead-lettering (the queue's maxReceiveCount on AWS is the same). */
  maxReceives?: number;
  /** Delay before retry n (default 1 s doubling, at most 30 s). */
  retryDelay?: (attempt: number) => number;
  deadLetterFile?: string;
  /** Called after each attempt (progress lines, tests). */
  onAttempt?: (info: { attempt: number; outcome?: DeliveryOutcome; error?: unknown }) => void;
}

export const LOCAL_MAX_RECEIVES = 5;

export class LocalWebhookQueue {
  readonly deadLetters: DeadLetter[] = [];
  readonly delivered: DeliveryOutcome[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;
  private readonly sleepers = new Set<() => void>();
  private stopped = false;

  constructor(private readonly options: LocalWebhookQueueOptions) {
    this.unsubscribe = subscribeLocalEvents((events) => {
      for (const e of events) if (toWebhookEvent(e) !== undefined) this.enqueue(e);
    });
  }

  enqueue(event: DomainEvent): void {
    if (this.stopped) return;
    const work = this.process(event);
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private async process(event: DomainEvent): Promise<void> {
    const max = this.options.maxReceives ?? LOCAL_MAX_RECEIVES;
    const delay = this.options.retryDelay ?? ((n: number) => retryDelayMs(n, 1000, 30_000));
    let failures: DeadLetter['failures'] = [];
    for (let attempt = 1; attempt <= max; attempt += 1) {
      try {
        const outcome = await deliverWebhookEvent(this.options.deps(), event);
        this.options.onAttempt?.({ attempt, outcome });
        if (outcome.failed.length === 0) {
          this.delivered.push(outcome);
          return;
        }
        failures = outcome.failed;
      } catch (error) {
        this.options.onAttempt?.({ attempt, error });
        failures = [{ webhookId: '*', detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }];
      }
      if (attempt < max && !this.stopped) await this.sleep(delay(attempt));
      if (this.stopped) break;
    }
    const webhookEvent = toWebhookEvent(event)!;
    const letter: DeadLetter = { eventId: webhookEvent.id, type: webhookEvent.type, attempts: max, failures, at: new Date().toISOString(), event };
    this.deadLetters.push(letter);
    if (this.options.deadLetterFile !== undefined) appendFileSync(this.options.deadLetterFile, `${JSON.stringify(letter)}\n`);
  }

  /** Resolves when every event enqueued so far is delivered or dead-lettered. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Stops taking events; retries still waiting end early (dead-lettered). */
  async stop(): Promise<void> {
    this.unsubscribe();
    this.stopped = true;
    for (const wake of [...this.sleepers]) wake();
    await this.idle();
  }
}
