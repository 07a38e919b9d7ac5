import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { WorkspaceError } from '../../errors.js';
import { type Command, JSON_FLAG, json, positional, stringFlag } from '../command.js';
import { table } from '../output.js';

export const publish: Command = {
  name: 'publish',
  positionals: '<manifest.yaml>',
  summary: 'publish a manifest as the next version of a connector',
  flags: {
    name: { type: 'string', required: true, value: 'name', help: 'connector name (the Builder shows it too)' },
    description: { type: 'string', value: 'text', help: 'what changed in this version' },
  },
  async run(ctx) {
    const path = positional(ctx, 'the manifest file', 'manifold publish <manifest.yaml> --name <name>');
    let manifest: string;
    try {
      manifest = await readFile(resolve(path), 'utf8');
    } catch (error) {
      throw new WorkspaceError('INVALID_INPUT', `cannot read the manifest '${path}': ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const { connector, version } = await ctx.workspace.publishConnector({
      name: stringFlag(ctx, 'name') as string,
      manifest,
      description: stringFlag(ctx, 'description') ?? null,
    });
    ctx.io.stdout.write(`Published ${connector.name} version ${version}\n`);
    return 0;
  },
};

export const connectors: Command = {
  name: 'connectors',
  summary: 'list published connectors and their versions',
  flags: { json: JSON_FLAG },
  async run(ctx) {
    const list = await ctx.workspace.listConnectors();
    if (ctx.args.flags.json) {
      json(ctx, list.map((c) => ({ name: c.name, versions: c.versions.map((v) => ({ version: v.version, published_at: v.published_at, description: v.description })) })));
      return 0;
    }
    if (list.length === 0) {
      ctx.io.stdout.write('No connectors yet. Publish one with `manifold publish <manifest.yaml> --name <name>`.\n');
      return 0;
    }
    const rows = list.map((c) => {
      const latest = c.versions.at(-1);
      return [c.name, String(latest?.version ?? '-'), latest?.published_at ?? '-', latest?.description ?? ''];
    });
    ctx.io.stdout.write(`${table(['NAME', 'LATEST', 'PUBLISHED', 'DESCRIPTION'], rows)}\n`);
    return 0;
  },
};
