/**
 * The local stack's rules on its event sink: what EventBridge rules are on AWS. Every handler of the
 * local stack runs in one process, so a subscriber registered here sees each event the file sink
 * writes, after it is written (a subscriber's failure never fails the publisher, as a rule's target
 * never fails PutEvents).
 */
import type { DomainEvent } from '../../domain/events.js';

export type LocalEventSubscriber = (events: readonly DomainEvent[]) => void;

const subscribers = new Set<LocalEventSubscriber>();

/** Registers a subscriber; returns its removal. */
export function subscribeLocalEvents(subscriber: LocalEventSubscriber): () => void {
  subscribers.add(subscriber);
  return () => subscribers.delete(subscriber);
}

export function notifyLocalSubscribers(events: readonly DomainEvent[]): void {
  for (const s of subscribers) {
    try {
      s(events);
    } catch {
      // A subscriber keeps its own failures (the webhook queue dead-letters them).
    }
  }
}
