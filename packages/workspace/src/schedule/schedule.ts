/** A connection's schedule: checked when it is saved, and when it is next due. */
import { WorkspaceError } from '../errors.js';
import type { Schedule } from '../model.js';
import { nextRun, validateCron } from './cron.js';

/** Checks a schedule given by a person (CLI flags or API body); returns it normalized. */
export function validateSchedule(schedule: unknown): Schedule {
  if (typeof schedule !== 'object' || schedule === null || Array.isArray(schedule)) {
    throw new WorkspaceError('INVALID_INPUT', 'schedule must be an object: { "cron": "<expression>" } or { "intervalMinutes": <n> }');
  }
  const given = schedule as Record<string, unknown>;
  if ('cron' in given && 'intervalMinutes' in given) throw new WorkspaceError('INVALID_INPUT', 'schedule takes cron or intervalMinutes, not both');
  if ('intervalMinutes' in given) {
    const minutes = given.intervalMinutes;
    if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1) {
      throw new WorkspaceError('INVALID_INPUT', `schedule intervalMinutes '${String(minutes)}' must be a whole number of minutes, at least 1`);
    }
    return { intervalMinutes: minutes };
  }
  if ('cron' in given) {
    if (typeof given.cron !== 'string') throw new WorkspaceError('INVALID_INPUT', 'schedule cron must be a string');
    return { cron: validateCron(given.cron) };
  }
  throw new WorkspaceError('INVALID_INPUT', 'schedule needs cron or intervalMinutes', {
    help: "Example: { \"cron\": \"0 * * * *\" } (every hour, UTC) or { \"intervalMinutes\": 60 }",
  });
}

/**
 * When a schedule next runs after `after`. `minuteMs` is the length of an interval minute (tests
 * shrink it); cron minutes are wall-clock minutes.
 */
export function nextScheduledRun(schedule: Schedule, after: Date, minuteMs = 60_000): Date {
  if ('intervalMinutes' in schedule) return new Date(after.getTime() + schedule.intervalMinutes * minuteMs);
  return nextRun(schedule.cron, after);
}

export function describeSchedule(schedule: Schedule): string {
  return 'cron' in schedule ? `cron '${schedule.cron}' (UTC)` : `every ${schedule.intervalMinutes} min`;
}
