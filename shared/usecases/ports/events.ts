/** The events port: domain events leave the product through it (EventBridge on AWS, a file locally). */
import type { DomainEvent } from '../../domain/events.js';

export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}
