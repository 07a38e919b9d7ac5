import { SYNC_MODES, type DestinationSyncMode } from '../../destination.js';
import { WorkspaceError } from '../../errors.js';
import type { Schedule } from '../../model.js';
import { type Command, type CommandContext, JSON_FLAG, json, positional, stringFlag } from '../command.js';
import { table } from '../output.js';

export const connectionCreate: Command = {
  name: 'connection create',
  summary: 'connect a source to a destination',
  details: `Streams default to all of the source's. Each stream's mode defaults to incremental_append_dedup when it
supports incremental syncs and has a primary key, else incremental_append when incremental, else
full_refresh_overwrite. A schedule runs while \`manifold scheduler\` (or the Builder server) runs:
cron in UTC at its next matching minute, or --every n minutes after the last sync started.`,
  flags: {
    name: { type: 'string', required: true, value: 'name', help: 'connection name' },
    source: { type: 'string', required: true, value: 'source', help: 'source name or id' },
    destination: { type: 'string', required: true, value: 'destination', help: 'destination name or id' },
    streams: { type: 'string', value: 'a,b', help: 'the streams to sync (default: all)' },
    mode: { type: 'string', value: SYNC_MODES.join('|'), help: 'one sync mode for every stream' },
    schedule: { type: 'string', value: 'cron', help: "a 5-field cron expression in UTC, e.g. '0 * * * *'" },
    every: { type: 'string', value: 'minutes', help: 'an interval in minutes' },
  },
  async run(ctx) {
    const connection = await ctx.workspace.createConnection({
      name: stringFlag(ctx, 'name') as string,
      source: stringFlag(ctx, 'source') as string,
      destination: stringFlag(ctx, 'destination') as string,
      ...streamsAndMode(ctx),
      ...scheduleOf(ctx),
    });
    ctx.io.stdout.write(`Created connection ${connection.name} (${connection.id})\n`);
    ctx.io.stdout.write(`${table(['STREAM', 'MODE'], connection.streams.map((s) => [s.name, s.syncMode]))}\n`);
    return 0;
  },
};

function streamsAndMode(ctx: CommandContext): { streams?: string[]; syncMode?: DestinationSyncMode } {
  const streams = stringFlag(ctx, 'streams')?.split(',').map((s) => s.trim()).filter(Boolean);
  const mode = stringFlag(ctx, 'mode');
  if (mode !== undefined && !(SYNC_MODES as readonly string[]).includes(mode)) {
    throw new WorkspaceError('INVALID_INPUT', `--mode '${mode}' is not a sync mode`, { help: `Use one of ${SYNC_MODES.join(', ')}` });
  }
  return { ...(streams ? { streams } : {}), ...(mode ? { syncMode: mode as DestinationSyncMode } : {}) };
}

function scheduleOf(ctx: CommandContext): { schedule?: Schedule } {
  const cron = stringFlag(ctx, 'schedule');
  const every = stringFlag(ctx, 'every');
  if (cron !== undefined && every !== undefined) throw new WorkspaceError('INVALID_INPUT', 'give --schedule or --every, not both');
  if (cron !== undefined) return { schedule: { cron } };
  if (every !== undefined) {
    if (!/^[0-9]+$/.test(every)) throw new WorkspaceError('INVALID_INPUT', `--every '${every}' is not a number of minutes`);
    return { schedule: { intervalMinutes: Number(every) } };
  }
  return {};
}

export const connections: Command = {
  name: 'connections',
  summary: 'list connections',
  flags: { json: JSON_FLAG },
  async run(ctx) {
    const list = await ctx.workspace.listConnections();
    if (ctx.args.flags.json) {
      json(ctx, list);
      return 0;
    }
    if (list.length === 0) {
      ctx.io.stdout.write('No connections yet. Create one with `manifold connection create --help`.\n');
      return 0;
    }
    const sources = new Map((await ctx.workspace.listSources()).map((s) => [s.id, s.name]));
    const destinations = new Map((await ctx.workspace.listDestinations()).map((d) => [d.id, d.name]));
    const rows = list.map((c) => [
      c.name,
      sources.get(c.sourceId) ?? c.sourceId,
      destinations.get(c.destinationId) ?? c.destinationId,
      c.streams.map((s) => s.name).join(','),
      c.schedule ? ('cron' in c.schedule ? c.schedule.cron : `every ${c.schedule.intervalMinutes} min`) : '-',
      c.status,
    ]);
    ctx.io.stdout.write(`${table(['NAME', 'SOURCE', 'DESTINATION', 'STREAMS', 'SCHEDULE', 'STATUS'], rows)}\n`);
    return 0;
  },
};

export const connectionDelete: Command = {
  name: 'connection delete',
  positionals: '<connection>',
  summary: 'delete a connection (its history stays; the destination keeps its data)',
  flags: {},
  async run(ctx) {
    const name = positional(ctx, 'the connection name or id', 'manifold connection delete <connection>');
    await ctx.workspace.deleteConnection(name);
    ctx.io.stdout.write(`Deleted connection ${name}\n`);
    return 0;
  },
};
