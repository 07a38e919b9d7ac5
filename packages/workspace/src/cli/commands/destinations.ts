import { DESTINATION_TYPES, type DestinationConfig } from '../../destination.js';
import { WorkspaceError } from '../../errors.js';
import { type Command, type CommandContext, JSON_FLAG, json, positional, readJsonObject, stringFlag } from '../command.js';
import { table } from '../output.js';

const USAGE = `manifold destination create --name <name> --type duckdb --path <file.duckdb>
       manifold destination create --name <name> --type jsonl --directory <dir>
       manifold destination create --name <name> --type postgres --host <h> --port <p> --database <db> --user <u> [--password-env <VAR>] [--schema <s>] [--ssl]
       manifold destination create --name <name> --type airbyte-image --image <image> --config <image-config.json>
       manifold destination create --name <name> --config <destination.json>   (a JSON object with "type" and its fields)`;

export const destinationCreate: Command = {
  name: 'destination create',
  summary: 'create a destination (duckdb, jsonl, postgres or an Airbyte destination image)',
  details: `${USAGE}\n\nA password is never taken on the command line: give the name of an environment variable that holds it, or put it in the --config file. It is stored encrypted.`,
  flags: {
    name: { type: 'string', required: true, value: 'name', help: 'destination name' },
    type: { type: 'string', value: DESTINATION_TYPES.join('|'), help: 'destination type (or "type" in the --config file)' },
    path: { type: 'string', value: 'file', help: 'duckdb: database file' },
    directory: { type: 'string', value: 'dir', help: 'jsonl: output directory' },
    host: { type: 'string', value: 'host', help: 'postgres: host' },
    port: { type: 'string', value: 'port', help: 'postgres: port (default 5432)' },
    database: { type: 'string', value: 'db', help: 'postgres: database' },
    user: { type: 'string', value: 'user', help: 'postgres: user' },
    'password-env': { type: 'string', value: 'VAR', help: 'postgres: environment variable holding the password' },
    schema: { type: 'string', value: 'schema', help: 'postgres: schema (default public)' },
    ssl: { type: 'boolean', help: 'postgres: connect with TLS' },
    image: { type: 'string', value: 'image', help: 'airbyte-image: the destination image' },
    config: { type: 'string', value: 'file.json', help: 'the destination fields as JSON (airbyte-image: the image config)' },
  },
  async run(ctx) {
    const config = await destinationConfig(ctx);
    const entry = await ctx.workspace.createDestination({ name: stringFlag(ctx, 'name') as string, config });
    ctx.io.stdout.write(`Created destination ${entry.name} (${entry.id}), ${entry.config.type}\n`);
    return 0;
  },
};

async function destinationConfig(ctx: CommandContext): Promise<DestinationConfig> {
  const file = stringFlag(ctx, 'config');
  const fromFile = file ? await readJsonObject(file, 'destination config') : {};
  const type = stringFlag(ctx, 'type') ?? (typeof fromFile.type === 'string' ? fromFile.type : undefined);
  if (!type) throw new WorkspaceError('INVALID_INPUT', 'missing --type', { help: USAGE });
  if (!(DESTINATION_TYPES as readonly string[]).includes(type)) {
    throw new WorkspaceError('INVALID_INPUT', `unknown destination type '${type}'`, { help: `Use one of ${DESTINATION_TYPES.join(', ')}` });
  }
  if (type === 'airbyte-image') {
    const image = stringFlag(ctx, 'image');
    if (!image) throw new WorkspaceError('INVALID_INPUT', '--image is required for an airbyte-image destination', { help: USAGE });
    return { type, image, config: fromFile };
  }
  const fields: Record<string, unknown> = { ...fromFile, type };
  const set = (flag: string, key = flag) => {
    const value = stringFlag(ctx, flag);
    if (value !== undefined) fields[key] = value;
  };
  if (type === 'duckdb') set('path');
  if (type === 'jsonl') set('directory');
  if (type === 'postgres') {
    for (const flag of ['host', 'database', 'user', 'schema']) set(flag);
    const port = stringFlag(ctx, 'port');
    if (port !== undefined) {
      if (!/^[0-9]+$/.test(port)) throw new WorkspaceError('INVALID_INPUT', `--port '${port}' is not a number`);
      fields.port = Number(port);
    }
    fields.port ??= 5432;
    if (ctx.args.flags.ssl) fields.ssl = true;
    const passwordEnv = stringFlag(ctx, 'password-env');
    if (passwordEnv !== undefined) {
      const password = ctx.io.env[passwordEnv];
      if (password === undefined) {
        throw new WorkspaceError('INVALID_INPUT', `--password-env ${passwordEnv}: that environment variable is not set`);
      }
      fields.password = password;
    }
  }
  return fields as DestinationConfig;
}

export const destinations: Command = {
  name: 'destinations',
  summary: 'list destinations (secret fields masked)',
  flags: { json: JSON_FLAG },
  async run(ctx) {
    const list = await ctx.workspace.listDestinations();
    if (ctx.args.flags.json) {
      const shown = [];
      for (const entry of list) shown.push({ ...entry, config: await ctx.workspace.maskedDestinationConfig(entry.id) });
      json(ctx, shown);
      return 0;
    }
    if (list.length === 0) {
      ctx.io.stdout.write('No destinations yet. Create one with `manifold destination create --help`.\n');
      return 0;
    }
    const rows = list.map((d) => [d.name, d.config.type, where(d.config), d.id]);
    ctx.io.stdout.write(`${table(['NAME', 'TYPE', 'WHERE', 'ID'], rows)}\n`);
    return 0;
  },
};

function where(config: DestinationConfig): string {
  switch (config.type) {
    case 'duckdb':
      return config.path;
    case 'jsonl':
      return config.directory;
    case 'postgres':
      return `${config.user}@${config.host}:${config.port}/${config.database}`;
    case 'airbyte-image':
      return config.image;
  }
}

export const destinationDelete: Command = {
  name: 'destination delete',
  positionals: '<destination>',
  summary: 'delete a destination and its secrets (its data stays where it is)',
  flags: {},
  async run(ctx) {
    const name = positional(ctx, 'the destination name or id', 'manifold destination delete <destination>');
    await ctx.workspace.deleteDestination(name);
    ctx.io.stdout.write(`Deleted destination ${name}\n`);
    return 0;
  },
};
