/** Checks of what people type: connector references and schedules. */
import { WorkspaceError } from './errors.js';
import type { ConnectorRef, Schedule } from './model.js';

/** 'name', 'name@3' or 'name@latest'. */
export function parseConnectorRef(text: string): ConnectorRef {
  const at = text.lastIndexOf('@');
  if (at <= 0) return { name: text, version: 'latest' };
  const name = text.slice(0, at);
  const version = text.slice(at + 1);
  if (version === 'latest') return { name, version };
  if (!/^[1-9][0-9]*$/.test(version)) {
    throw new WorkspaceError('INVALID_INPUT', `'${text}': the version after @ must be a number or 'latest'`, {
      help: 'Write --connector <name>, <name>@<version> or <name>@latest',
    });
  }
  return { name, version: Number(version) };
}

export function validateSchedule(schedule: Schedule): Schedule {
  if ('intervalMinutes' in schedule) {
    if (!Number.isInteger(schedule.intervalMinutes) || schedule.intervalMinutes < 1) {
      throw new WorkspaceError('INVALID_INPUT', `schedule interval '${String(schedule.intervalMinutes)}' must be a whole number of minutes, at least 1`);
    }
    return { intervalMinutes: schedule.intervalMinutes };
  }
  const fields = schedule.cron.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) {
    throw new WorkspaceError('INVALID_INPUT', `schedule '${schedule.cron}' is not a cron expression (5 or 6 fields)`, {
      help: "Example: '0 * * * *' (every hour), or an interval in minutes",
    });
  }
  return { cron: fields.join(' ') };
}
