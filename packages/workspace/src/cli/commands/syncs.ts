import { type Command, JSON_FLAG, json, positional, stringFlag } from '../command.js';
import { bytes, duration, progressLine, table } from '../output.js';

export const sync: Command = {
  name: 'sync',
  positionals: '<connection>',
  summary: 'run a sync now; resumes from the last committed state',
  details: 'Shows a progress line on stderr when it is a terminal. Exit code 0 when the sync succeeded, 1 when it failed, 130 when cancelled (Ctrl-C).',
  flags: { json: { type: 'boolean', help: 'print the history entry as JSON at the end' } },
  async run(ctx) {
    const name = positional(ctx, 'the connection name or id', 'manifold sync <connection>');
    const tty = Boolean(ctx.io.stderr.isTTY);
    let drawn = false;
    const result = await ctx.workspace.runSync(name, {
      signal: ctx.signal,
      onProgress: tty
        ? (progress) => {
            ctx.io.stderr.write(`\r\x1b[2K${progressLine(progress)}`);
            drawn = true;
          }
        : undefined,
    });
    if (drawn) ctx.io.stderr.write('\n');
    if (ctx.args.flags.json) {
      json(ctx, result);
    } else {
      const elapsed = result.endedAt ? Date.parse(result.endedAt) - Date.parse(result.startedAt) : 0;
      const rows = Object.entries(result.streams).map(([stream, stats]) => [stream, String(stats.records), bytes(stats.bytes)]);
      ctx.io.stdout.write(`Sync ${result.id} ${result.status} in ${duration(elapsed)}\n`);
      if (rows.length > 0) ctx.io.stdout.write(`${table(['STREAM', 'RECORDS', 'BYTES'], rows)}\n`);
      if (result.error) ctx.io.stdout.write(`Error: ${result.error}\n`);
      ctx.io.stdout.write(`Logs: ${result.logsPath}\n`);
    }
    return result.status === 'succeeded' ? 0 : result.status === 'cancelled' ? 130 : 1;
  },
};

export const history: Command = {
  name: 'history',
  positionals: '<connection>',
  summary: 'past syncs of a connection, newest first',
  flags: { json: JSON_FLAG },
  async run(ctx) {
    const name = positional(ctx, 'the connection name or id', 'manifold history <connection>');
    const entries = await ctx.workspace.history(name);
    if (ctx.args.flags.json) {
      json(ctx, entries);
      return 0;
    }
    if (entries.length === 0) {
      ctx.io.stdout.write(`No syncs yet. Run one with \`manifold sync ${name}\`.\n`);
      return 0;
    }
    const rows = entries.map((e) => {
      const records = Object.values(e.streams).reduce((sum, s) => sum + s.records, 0);
      const elapsed = e.endedAt ? duration(Date.parse(e.endedAt) - Date.parse(e.startedAt)) : '-';
      return [e.id, e.status, e.startedAt, elapsed, String(records), e.error ?? ''];
    });
    ctx.io.stdout.write(`${table(['SYNC', 'STATUS', 'STARTED', 'TOOK', 'RECORDS', 'ERROR'], rows)}\n`);
    return 0;
  },
};

export const state: Command = {
  name: 'state',
  positionals: '<connection>',
  summary: 'the state the destination has committed (where the next sync resumes)',
  flags: {},
  async run(ctx) {
    const name = positional(ctx, 'the connection name or id', 'manifold state <connection>');
    json(ctx, await ctx.workspace.state(name));
    return 0;
  },
};

export const reset: Command = {
  name: 'reset',
  positionals: '<connection>',
  summary: "forget a stream's (or every stream's) rows and state, so the next sync starts over",
  flags: { stream: { type: 'string', value: 'stream', help: 'only this stream' } },
  async run(ctx) {
    const name = positional(ctx, 'the connection name or id', 'manifold reset <connection> [--stream <stream>]');
    const streams = await ctx.workspace.reset(name, stringFlag(ctx, 'stream'));
    ctx.io.stdout.write(`Reset ${streams.join(', ')}\n`);
    return 0;
  },
};
