/** An event publisher for tests: records what was sent, and fails the next `n` publishes transiently. */
import type { DomainEvent } from '../../shared/domain/events.js';
import type { EventPublisher } from '../../shared/usecases/ports/events.js';

export function recordingPublisher(): { publisher: EventPublisher; sent: DomainEvent[]; failNext: (n: number) => void } {
  const sent: DomainEvent[] = [];
  let failing = 0;
  return {
    sent,
    failNext: (n) => {
      failing = n;
    },
    publisher: {
      publish: (events) => {
        if (failing > 0) {
          failing -= 1;
          return Promise.reject(Object.assign(new Error('bus unavailable'), { name: 'TransientError' }));
        }
        sent.push(...events);
        return Promise.resolve();
      },
    },
  };
}
