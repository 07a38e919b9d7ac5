/**
 * Round trips over real Airbyte manifests (the shared corpus, when present): reading a manifest into
 * the form and writing the form back changes nothing, in the value or in the YAML text; an edit
 * through the form changes only what was edited.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyForm, applyGlobal, applyStream, readForm, readStream, streamCount } from './form.js';
import { clone, deepEqual } from './refs.js';
import { parseManifest, updateText } from './yaml-sync.js';

const CORPUS = process.env.AIRBYTE_MANIFESTS ?? '/work/shared/airbyte-manifests';
// every manifest with AIRBYTE_CORPUS_ALL=1; by default every 4th one under 150 kB (keeps `npm test` quick)
const ALL = process.env.AIRBYTE_CORPUS_ALL === '1';
const files = existsSync(CORPUS)
  ? readdirSync(CORPUS).sort().map((d) => join(CORPUS, d, 'manifest.yaml'))
    .filter((f, i) => existsSync(f) && (ALL || (i % 4 === 0 && statSync(f).size < 150_000)))
  : [];
// Each manifest takes up to a few hundred ms of synchronous work; yielding between them keeps the
// worker answering vitest's RPC (a blocked worker fails the run with "Timeout calling onTaskUpdate").
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));
if (!files.length) console.log(`[builder-ui] no Airbyte manifest corpus at ${CORPUS}; corpus round trips skipped`);

describe.skipIf(files.length === 0)(`Airbyte manifests (${files.length})`, () => {
  it('form round trip changes nothing (value and text)', async () => {
    const failures: string[] = [];
    for (const f of files) {
      await breathe();
      const text = readFileSync(f, 'utf8');
      const parsed = parseManifest(text);
      if (!parsed.value) continue;
      const m = parsed.value;
      try {
        const back = applyForm(m, clone(readForm(m)));
        if (!deepEqual(back, m)) failures.push(`${f}: value changed`);
        else if (updateText(text, back) !== text) failures.push(`${f}: text changed`);
      } catch (e) {
        failures.push(`${f}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it('a form edit changes only the edited fields', async () => {
    const failures: string[] = [];
    for (const f of files) {
      await breathe();
      const text = readFileSync(f, 'utf8');
      const m = parseManifest(text).value;
      if (!m || streamCount(m) === 0) continue;
      try {
        const s = readStream(m, 0);
        let out = applyStream(m, 0, { ...s, path: `${s.path}/x`, primaryKey: ['pk_x'] });
        const g = readForm(out).global;
        out = applyGlobal(out, { ...g, urlBase: 'https://changed.example.com' });
        const again = readForm(out);
        if (again.streams[0]!.path !== `${s.path}/x`) failures.push(`${f}: path not written`);
        if (again.global.urlBase !== 'https://changed.example.com') failures.push(`${f}: url base not written`);
        // other streams unchanged apart from the (shared or equal) url base and their embedded
        // parent streams (a child sees its edited parent, as it should)
        for (let i = 1; i < again.streams.length; i++) {
          const before = { ...readStream(m, i), urlBase: '', partitionRouter: undefined };
          const after = { ...again.streams[i]!, urlBase: '', partitionRouter: undefined };
          if (!deepEqual(before, after)) failures.push(`${f}: stream ${i} changed`);
        }
        const newText = updateText(text, out);
        if (!deepEqual(parseManifest(newText).value, out)) failures.push(`${f}: text does not hold the edit`);
        const comments = (t: string) => t.split('\n').filter((l) => /^\s*#/.test(l)).length;
        // (a manifest using YAML aliases may be rewritten without comments when an aliased node changes)
        if (comments(newText) < comments(text) && !/[:\-]\s+\*[\w-]+/.test(text)) failures.push(`${f}: comments lost`);
      } catch (e) {
        failures.push(`${f}: ${(e as Error).message}`);
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
  }, 600_000);
});
