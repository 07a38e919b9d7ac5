/**
 * Standard 5-field cron (minute hour day-of-month month day-of-week), evaluated in UTC so there
 * is no DST gap or repeat. Fields take `*`, numbers, ranges `1-5`, lists `1,3`, steps `*\/15` or
 * `10-40/10`, and the names JAN-DEC and SUN-SAT (day-of-week 7 is Sunday too).
 * Day-of-month and day-of-week follow Vixie cron: when both are restricted (neither starts with
 * `*`), a day matches if either matches; otherwise both must.
 */
import { WorkspaceError } from '../errors.js';

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'day-of-week', min: 0, max: 7, names: DAY_NAMES },
];

export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0-6, Sunday 0 (a 7 in the expression is folded into 0). */
  daysOfWeek: ReadonlySet<number>;
  /** Vixie's rule keys on whether the field text starts with `*`. */
  dayOfMonthStar: boolean;
  dayOfWeekStar: boolean;
}

/** Parses a cron expression; the error names the field and the bad part. */
export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 5) {
    throw cronError(expression, `is not a cron expression: it has ${parts.length} field(s), cron needs 5: minute hour day-of-month month day-of-week`);
  }
  const sets = parts.map((part, index) => parseField(expression, part, FIELDS[index] as FieldSpec));
  const [minutes, hours, daysOfMonth, months, daysOfWeekRaw] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  const daysOfWeek = new Set([...daysOfWeekRaw].map((day) => day % 7));
  return {
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    dayOfMonthStar: (parts[2] as string).startsWith('*'),
    dayOfWeekStar: (parts[4] as string).startsWith('*'),
  };
}

/** Throws a WorkspaceError naming the bad field; returns the expression normalized (single spaces). */
export function validateCron(expression: string): string {
  const schedule = parseCron(expression);
  // '0 0 30 2 *' parses but never runs: say so now rather than never sync.
  if (findNext(schedule, Date.UTC(2000, 0, 1)) === undefined) {
    throw cronError(expression, 'never matches a date (e.g. day 30 or 31 of a month that is never that long)');
  }
  return expression.trim().split(/\s+/).join(' ');
}

/** The first minute strictly after `after` that the expression matches (UTC). */
export function nextRun(expression: string | CronSchedule, after: Date): Date {
  const schedule = typeof expression === 'string' ? parseCron(expression) : expression;
  const found = findNext(schedule, after.getTime());
  if (found === undefined) throw cronError(typeof expression === 'string' ? expression : '', 'never matches a date');
  return new Date(found);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Feb 29 on a Monday can be 28 years apart; beyond that nothing will ever match. */
const SEARCH_YEARS = 30;

function findNext(schedule: CronSchedule, afterMs: number): number | undefined {
  let time = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
  const limit = afterMs + SEARCH_YEARS * 366 * DAY;
  while (time <= limit) {
    const date = new Date(time);
    const month = date.getUTCMonth() + 1;
    if (!schedule.months.has(month)) {
      time = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
      continue;
    }
    if (!dayMatches(schedule, date)) {
      time = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
      continue;
    }
    if (!schedule.hours.has(date.getUTCHours())) {
      time = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours() + 1);
      continue;
    }
    if (!schedule.minutes.has(date.getUTCMinutes())) {
      time += MINUTE;
      continue;
    }
    return time;
  }
  return undefined;
}

function dayMatches(schedule: CronSchedule, date: Date): boolean {
  const byMonthDay = schedule.daysOfMonth.has(date.getUTCDate());
  const byWeekDay = schedule.daysOfWeek.has(date.getUTCDay());
  if (schedule.dayOfMonthStar || schedule.dayOfWeekStar) return byMonthDay && byWeekDay;
  return byMonthDay || byWeekDay;
}

function parseField(expression: string, text: string, field: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [rangeText, stepText, extra] = item.split('/');
    if (rangeText === undefined || rangeText === '' || extra !== undefined) throw fieldError(expression, field, item, 'is not a value, range or step');
    let step = 1;
    if (stepText !== undefined) {
      if (!/^[0-9]+$/.test(stepText) || Number(stepText) < 1) throw fieldError(expression, field, item, `has step '${stepText}'; a step must be a whole number of at least 1`);
      step = Number(stepText);
    }
    let low: number;
    let high: number;
    if (rangeText === '*') {
      low = field.min;
      high = field.name === 'day-of-week' ? 6 : field.max;
    } else {
      const bounds = rangeText.split('-');
      if (bounds.length > 2) throw fieldError(expression, field, item, 'is not a range (write low-high)');
      low = valueOf(expression, field, bounds[0] as string);
      // 'a/n' means from a to the end, as in Vixie and most crons.
      high = bounds.length === 2 ? valueOf(expression, field, bounds[1] as string) : stepText !== undefined ? field.max : low;
      if (low > high) throw fieldError(expression, field, item, `is a range from ${low} down to ${high}; write the smaller value first`);
    }
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return values;
}

function valueOf(expression: string, field: FieldSpec, text: string): number {
  const named = field.names?.indexOf(text.toUpperCase() as never) ?? -1;
  if (named >= 0) return field.name === 'month' ? named + 1 : named;
  if (!/^[0-9]+$/.test(text)) {
    const names = field.names ? ` or a name ${field.names[0]}-${field.names[field.names.length - 1]}` : '';
    throw fieldError(expression, field, text, `is not a number${names}`);
  }
  const value = Number(text);
  if (value < field.min || value > field.max) throw fieldError(expression, field, text, `is out of range ${field.min}-${field.max}`);
  return value;
}

function fieldError(expression: string, field: FieldSpec, part: string, problem: string): WorkspaceError {
  return new WorkspaceError('INVALID_INPUT', `schedule '${expression}': ${field.name} field '${part}' ${problem}`, { help: CRON_HELP });
}

function cronError(expression: string, problem: string): WorkspaceError {
  return new WorkspaceError('INVALID_INPUT', `schedule '${expression}' ${problem}`, { help: CRON_HELP });
}

const CRON_HELP = "Cron fields (UTC): minute hour day-of-month month day-of-week, e.g. '*/15 * * * *' or '0 6 * * MON-FRI'";
