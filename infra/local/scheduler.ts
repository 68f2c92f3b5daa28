/**
 * The local scheduler of `npm start`: triggers the same dispatcher as EventBridge Scheduler does on
 * AWS, on the same schedule expression (the stage configuration in infra/stage.ts that the CDK uses).
 *
 * Expressions, as EventBridge Scheduler reads them:
 * - `rate(<n> minute(s)|hour(s)|day(s))`: every n units from when the scheduler starts;
 * - `cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)`: the AWS 6-field syntax with
 *   `?`, `L`, `W`, `#`, day-of-week 1-7 = SUN-SAT and names (parsed by `aws-cron-parser`), in the
 *   stage's IANA time zone;
 * - `at(yyyy-mm-ddThh:mm:ss)`: once, in the stage's time zone.
 */
import awsCronParser from 'aws-cron-parser';
import type { Context } from 'aws-lambda';
import { DynamoActiveProfileSource } from '../../shared/adapters/dynamodb/active-profiles.js';
import { getDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { createDynamoRepositories, tableNamesFromEnv } from '../../shared/adapters/dynamodb/index.js';
import { eventPublisherFromEnv } from '../../shared/adapters/events/publisher.js';
import type { DispatchDeps } from '../../shared/usecases/dispatch-compares.js';
import type { DispatcherOutput } from '../../functions/dispatcher/handler.js';
import { localContext, type LocalStack } from './stack.js';
import type { InventorySyncTrigger } from '../../shared/usecases/ports/workflow.js';

export class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError';
}

export type ParsedSchedule =
  | { kind: 'rate'; everyMs: number }
  | { kind: 'cron'; cron: ReturnType<typeof awsCronParser.parse>; timeZone: string }
  | { kind: 'at'; at: Date };

const RATE_UNITS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };

/** Wall-clock fields of `date` in `timeZone`, as a UTC timestamp (what the cron fields are matched on). */
function wallClock(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'), date.getUTCMilliseconds());
}

/** The instant whose wall clock in `timeZone` is `wall` (a UTC timestamp of wall-clock fields). */
function fromWallClock(wall: number, timeZone: string): Date {
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const offset = wallClock(new Date(guess), timeZone) - guess;
    const next = wall - offset;
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}

function validTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    throw new ScheduleExpressionError(`unknown time zone: ${timeZone}`);
  }
}

/** Parses an EventBridge Scheduler expression; throws `ScheduleExpressionError` for anything else. */
export function parseScheduleExpression(expression: string, timeZone = 'UTC'): ParsedSchedule {
  const tz = validTimeZone(timeZone);
  const m = /^(rate|cron|at)\((.+)\)$/.exec(expression.trim());
  if (m === null) throw new ScheduleExpressionError(`not a schedule expression (rate(...), cron(...) or at(...)): ${expression}`);
  const [, kind, body] = m as unknown as [string, string, string];
  if (kind === 'rate') {
    const r = /^(\d+)\s+(minutes?|hours?|days?)$/.exec(body.trim());
    const n = r ? Number(r[1]) : 0;
    const unitName = r?.[2] ?? '';
    const unit = RATE_UNITS[unitName];
    // EventBridge wants the singular unit for 1 and the plural otherwise.
    if (unit === undefined || n < 1 || (n === 1) !== !unitName.endsWith('s')) {
      throw new ScheduleExpressionError(`a rate is rate(1 minute|hour|day) or rate(<n> minutes|hours|days): ${expression}`);
    }
    return { kind: 'rate', everyMs: n * unit };
  }
  if (kind === 'at') {
    const a = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
    if (a === null) throw new ScheduleExpressionError(`a one-time schedule is at(yyyy-mm-ddThh:mm:ss): ${expression}`);
    const [y, mo, d, h, mi, s] = a.slice(1).map(Number) as [number, number, number, number, number, number];
    return { kind: 'at', at: fromWallClock(Date.UTC(y, mo - 1, d, h, mi, s), tz) };
  }
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw new ScheduleExpressionError(`a cron expression has 6 fields (minutes hours day-of-month month day-of-week year): ${expression}`);
  const [, , dom, , dow] = fields as [string, string, string, string, string, string];
  // EventBridge requires `?` in exactly one of day-of-month and day-of-week.
  if ((dom === '?') === (dow === '?')) throw new ScheduleExpressionError(`a cron expression needs "?" in either day-of-month or day-of-week: ${expression}`);
  let cron: ReturnType<typeof awsCronParser.parse>;
  try {
    cron = awsCronParser.parse(body.trim());
  } catch (err) {
    throw new ScheduleExpressionError(`cannot parse ${expression}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { kind: 'cron', cron, timeZone: tz };
}

/**
 * When the schedule fires next, strictly after `after` (undefined: never again). `startedAt` anchors
 * rate schedules (every n units from then).
 */
export function nextFireTime(schedule: ParsedSchedule, after: Date, startedAt: Date = after): Date | undefined {
  switch (schedule.kind) {
    case 'rate': {
      const elapsed = after.getTime() - startedAt.getTime();
      const periods = elapsed < 0 ? 0 : Math.floor(elapsed / schedule.everyMs) + 1;
      return new Date(startedAt.getTime() + periods * schedule.everyMs);
    }
    case 'at':
      return schedule.at.getTime() > after.getTime() ? schedule.at : undefined;
    case 'cron': {
      // The parser matches fields on UTC; match them on the wall clock of the stage's time zone instead.
      const next = awsCronParser.next(schedule.cron, new Date(wallClock(after, schedule.timeZone)));
      if (next === null) return undefined;
      const at = fromWallClock(next.getTime(), schedule.timeZone);
      // A wall-clock time skipped by a DST change maps before `after`: take the following one.
      return at.getTime() > after.getTime() ? at : nextFireTime(schedule, new Date(after.getTime() + 60_000), startedAt);
    }
  }
}

export interface LocalScheduler {
  /** The next trigger time, if any. */
  next(): Date | undefined;
  stop(): void;
}

export interface LocalSchedulerOptions {
  expression: string;
  timeZone?: string;
  /** Runs the dispatcher for a trigger scheduled at this time. A trigger never overlaps the previous one. */
  trigger: (scheduledAt: Date) => Promise<void>;
  onError?: (err: unknown) => void;
  now?: () => Date;
}

/** setTimeout's longest delay; longer waits are taken in steps. */
const MAX_TIMER_MS = 2_147_000_000;

/** Starts triggering on the expression; the timer does not keep the process alive on its own. */
export function startLocalScheduler(options: LocalSchedulerOptions): LocalScheduler {
  const now = options.now ?? (() => new Date());
  const schedule = parseScheduleExpression(options.expression, options.timeZone);
  const startedAt = now();
  let nextAt = nextFireTime(schedule, startedAt, startedAt);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const arm = () => {
    if (stopped || nextAt === undefined) return;
    const wait = Math.min(Math.max(0, nextAt.getTime() - now().getTime()), MAX_TIMER_MS);
    timer = setTimeout(() => {
      if (nextAt === undefined) return;
      if (now().getTime() < nextAt.getTime()) return arm();
      const at = nextAt;
      nextAt = nextFireTime(schedule, at, startedAt);
      running = running.then(() => options.trigger(at)).catch((err: unknown) => options.onError?.(err));
      arm();
    }, wait);
    timer.unref();
  };
  arm();
  return {
    next: () => nextAt,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** The dispatcher's ports on the local stack: the local tables, and the in-process workflow runner. */
export function localDispatchDeps(stack: Pick<LocalStack, 'starter'>, options: { sync?: InventorySyncTrigger; concurrency?: number } = {}): DispatchDeps {
  const tables = tableNamesFromEnv();
  const repos = createDynamoRepositories({ tables });
  return {
    profiles: repos.profiles,
    activeProfiles: new DynamoActiveProfileSource(getDocumentClient(), tables.baselines, repos.meter),
    runs: repos.runs,
    starter: stack.starter,
    acceptances: { findings: repos.findings, audit: repos.audit, events: { publish: (events) => eventPublisherFromEnv().publish(events) } },
    now: () => new Date(),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.sync ? { sync: options.sync } : {}),
  };
}

/**
 * The dispatcher function itself (functions/dispatcher/handler.ts, configuration from the same
 * environment variables), on the local stack's ports: what a local trigger invokes.
 */
export function localDispatcher(stack: Pick<LocalStack, 'starter'>, options: { sync?: InventorySyncTrigger } = {}): (scheduledAt: Date) => Promise<DispatcherOutput> {
  // Loaded on first use, like the workflow's functions: its logger reads the log level when it loads.
  let handler: Promise<(event: { time: string }, context: Context) => Promise<DispatcherOutput>> | undefined;
  return async (scheduledAt) => {
    handler ??= import('../../functions/dispatcher/handler.js').then((m) =>
      m.dispatcherHandler((cfg) => localDispatchDeps(stack, { ...options, concurrency: cfg.DISPATCH_CONCURRENCY })),
    );
    return (await handler)({ time: scheduledAt.toISOString() }, localContext('Dispatcher'));
  };
}
