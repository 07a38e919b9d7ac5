import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { warmUpCommands, warmUpRead } from '../src/warm-up.js';

const warmUpDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('manifold-warm-up-'));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('snapshot warm-up', () => {
  it('runs the command path without throwing', () => {
    expect(() => warmUpCommands()).not.toThrow();
  });

  it('reads through runEntrypoint and leaves nothing behind: output, temp files, AbortSignal.timeout', async () => {
    const timeout = AbortSignal.timeout;
    const dirsBefore = warmUpDirs();
    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write');
    let patchedDuringRead = false;
    const read = warmUpRead(1);
    patchedDuringRead = AbortSignal.timeout !== timeout;
    await read;
    expect(patchedDuringRead).toBe(true);
    expect(AbortSignal.timeout).toBe(timeout);
    expect(stdout).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
    expect(warmUpDirs()).toEqual(dirsBefore);
  });
});
