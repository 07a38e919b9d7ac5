/** `manifold scheduler`: runs scheduled syncs in the foreground until Ctrl-C. */
import type { Command, CommandContext } from '../cli/command.js';
import { duration } from '../cli/output.js';
import { WorkspaceError, isWorkspaceError } from '../errors.js';
import { describeSchedule } from './schedule.js';
import { type SchedulerEvent, startScheduler } from './scheduler.js';

/** Tests only (undocumented): the tick and the length of an interval minute, in milliseconds. */
const TICK_ENV = 'MANIFOLD_SCHEDULER_TICK_MS';
const MINUTE_ENV = 'MANIFOLD_SCHEDULER_MINUTE_MS';

export const scheduler: Command = {
  name: 'scheduler',
  summary: 'run scheduled syncs in the foreground until Ctrl-C',
  details: `Every 30 seconds it starts the sync of each active connection whose schedule is due: a cron
schedule (UTC) at its next matching minute after the last sync started, an interval that many
minutes after it. Runs missed while no scheduler was running collapse into one. A connection
never has two syncs at once; one being synced by another process is skipped until it ends.
Prints one line per sync started and finished. Ctrl-C cancels running syncs (the next one resumes
from their last committed state) and exits 0. The Builder server runs the same scheduler unless
MANIFOLD_SCHEDULER=0.`,
  flags: {},
  async run(ctx) {
    const tickMs = hiddenNumber(ctx, TICK_ENV);
    const minuteMs = hiddenNumber(ctx, MINUTE_ENV);
    const scheduled = (await ctx.workspace.listConnections()).flatMap((c) => (c.status === 'active' && c.schedule ? [`\n  ${c.name}: ${describeSchedule(c.schedule)}`] : []));
    say(ctx, `scheduler started: ${scheduled.length} scheduled connection(s)${scheduled.join('')}`);
    const handle = startScheduler(ctx.workspace, {
      onEvent: (event) => say(ctx, describeEvent(event)),
      // A timer that keeps the process alive: the scheduler is what this command is waiting on.
      setTimer: (callback, ms) => {
        const timer = setTimeout(callback, ms);
        return () => clearTimeout(timer);
      },
      ...(tickMs !== undefined ? { tickMs } : {}),
      ...(minuteMs !== undefined ? { minuteMs } : {}),
    });
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    say(ctx, 'stopping: cancelling running syncs');
    await handle.stop();
    say(ctx, 'scheduler stopped');
    return 0;
  },
};

function describeEvent(event: SchedulerEvent): string {
  switch (event.type) {
    case 'started':
      return `sync ${event.syncId} of ${event.connection.name} started`;
    case 'finished': {
      const { result } = event;
      const took = result.endedAt ? duration(Date.parse(result.endedAt) - Date.parse(result.startedAt)) : '-';
      const records = Object.values(result.streams).reduce((sum, s) => sum + s.records, 0);
      return `sync ${result.id} of ${event.connection.name} ${result.status} in ${took}, ${records} record(s)${result.error ? `: ${result.error}` : ''}`;
    }
    case 'skipped':
      return `skipped ${event.connection.name}: ${event.reason}`;
    case 'error': {
      const message = isWorkspaceError(event.error) ? event.error.message : ((event.error as Error)?.message ?? String(event.error));
      return `error${event.connection ? ` in ${event.connection.name}` : ''}: ${message}`;
    }
  }
}

function say(ctx: CommandContext, line: string): void {
  ctx.io.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

function hiddenNumber(ctx: CommandContext, name: string): number | undefined {
  const text = ctx.io.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 1) throw new WorkspaceError('INVALID_INPUT', `${name} '${text}' must be a number of milliseconds, at least 1`);
  return value;
}
