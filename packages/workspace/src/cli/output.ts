/** Text rendering for the CLI: tables, sizes, durations, the sync progress line. */
import type { SyncProgress } from '../sync/progress.js';

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = count / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds % 60)} s`;
}

export function progressLine(progress: SyncProgress): string {
  const streams = Object.entries(progress.streams)
    .filter(([, stream]) => stream.records > 0 || stream.status)
    .map(([name, stream]) => `${name} ${stream.records}${stream.pages > 0 ? ` (${stream.pages} p)` : ''}`)
    .join(', ');
  return `${progress.phase} ${duration(progress.elapsedMs)} | ${progress.records} records, ${bytes(progress.bytes)}, ${progress.checkpoints} checkpoints${streams ? ` | ${streams}` : ''}`;
}
