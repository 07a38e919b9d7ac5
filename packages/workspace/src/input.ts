/** Checks of what people type: connector references (schedules: schedule/schedule.ts). */
import { WorkspaceError } from './errors.js';
import type { ConnectorRef } from './model.js';

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
