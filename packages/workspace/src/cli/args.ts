/**
 * Plain argv parsing for the manifold CLI: `--flag value`, `--flag=value`, boolean `--flag`,
 * positionals. Unknown flags and missing values are errors that name the flag.
 */
import { WorkspaceError } from '../errors.js';

export interface FlagSpec {
  type: 'string' | 'boolean';
  help: string;
  required?: boolean;
  /** Shown in usage: `--name <value>`. */
  value?: string;
}

export interface ParsedArgs {
  flags: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parseArgs(argv: string[], specs: Record<string, FlagSpec>, usage: string): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positionals: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = specs[name];
    if (!spec) {
      throw new WorkspaceError('INVALID_INPUT', `unknown flag --${name}`, { help: usage });
    }
    if (spec.type === 'boolean') {
      if (eq !== -1) throw new WorkspaceError('INVALID_INPUT', `--${name} takes no value`, { help: usage });
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[index + 1];
      index++;
    }
    if (value === undefined || (eq === -1 && value.startsWith('--'))) {
      throw new WorkspaceError('INVALID_INPUT', `--${name} needs a value${spec.value ? ` (${spec.value})` : ''}`, { help: usage });
    }
    flags[name] = value;
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.required && flags[name] === undefined) {
      throw new WorkspaceError('INVALID_INPUT', `--${name} is required: ${spec.help}`, { help: usage });
    }
  }
  return { flags, positionals };
}

export function flagsHelp(specs: Record<string, FlagSpec>): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const left = `--${name}${spec.type === 'string' ? ` <${spec.value ?? 'value'}>` : ''}`;
    return [left, `${spec.help}${spec.required ? ' (required)' : ''}`] as const;
  });
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join('\n');
}
