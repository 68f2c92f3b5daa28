/**
 * Event publishing: EventBridge on AWS (the default bus), a JSON-lines file locally. Chosen by the
 * environment at call time: `EVENT_SINK_FILE` set -> the file; else `EVENT_BUS_NAME` -> EventBridge.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DomainEvent } from '../../domain/events.js';
import type { EventPublisher } from '../../usecases/ports/events.js';
import { notifyLocalSubscribers } from './local-subscribers.js';
import { traced } from '../observability.js';

let client: EventBridgeClient | undefined;

export class EventBridgePublisher implements EventPublisher {
  constructor(private readonly busName: string) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    client ??= traced(new EventBridgeClient({}));
    // PutEvents takes at most 10 entries per call.
    for (let i = 0; i < events.length; i += 10) {
      const batch = events.slice(i, i + 10);
      const out = await client.send(
        new PutEventsCommand({
          Entries: batch.map((e) => ({ EventBusName: this.busName, Source: e.source, DetailType: e.detailType, Detail: JSON.stringify(e.detail) })),
        }),
      );
      if ((out.FailedEntryCount ?? 0) > 0) {
        const codes = (out.Entries ?? []).map((e) => e.ErrorCode).filter(Boolean);
        const err = new Error(`EventBridge refused ${out.FailedEntryCount} event(s): ${codes.join(', ')}`);
        err.name = 'TransientError';
        throw err;
      }
    }
  }
}

/** Appends one JSON line per event to a file, then hands them to the local subscribers: the local stack's event sink. */
export class FileEventSink implements EventPublisher {
  constructor(private readonly path: string) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    await mkdir(dirname(this.path), { recursive: true });
    const at = new Date().toISOString();
    await appendFile(this.path, events.map((e) => JSON.stringify({ time: at, source: e.source, 'detail-type': e.detailType, detail: e.detail }) + '\n').join(''));
    notifyLocalSubscribers(events);
  }
}

export function eventPublisherFromEnv(env: NodeJS.ProcessEnv = process.env): EventPublisher {
  if (env.EVENT_SINK_FILE) return new FileEventSink(env.EVENT_SINK_FILE);
  if (env.EVENT_BUS_NAME) return new EventBridgePublisher(env.EVENT_BUS_NAME);
  throw new Error('no event destination configured: set EVENT_BUS_NAME (AWS) or EVENT_SINK_FILE (local)');
}
