/**
 * Parses every template string of every manifest.yaml under a directory with manifold's Jinja
 * compiler and reports how many compile.
 *
 *   npx tsx scripts/check-templates.ts [dir]        (default: ../shared/airbyte-manifests)
 *   npx vite-node scripts/check-templates.ts [dir]  (works without tsx)
 *
 * Exits 1 when any template fails to compile.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { compileTemplate, templateStrings } from '../packages/runtime/src/interpolation/index.js';

function findManifests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...findManifests(p));
    else if (name === 'manifest.yaml') out.push(p);
  }
  return out;
}

function main(): void {
  const dir = resolve(process.argv[2] ?? '../shared/airbyte-manifests');
  const manifests = findManifests(dir);
  let found = 0;
  let ok = 0;
  const unique = new Set<string>();
  const failures: Array<{ connector: string; template: string; error: string }> = [];
  let yamlErrors = 0;
  for (const file of manifests) {
    const connector = relative(dir, file).replace(/\/manifest\.yaml$/, '');
    let doc: unknown;
    try {
      doc = parse(readFileSync(file, 'utf8'), { maxAliasCount: -1, uniqueKeys: false });
    } catch (e) {
      yamlErrors++;
      console.error(`YAML error in ${connector}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    for (const template of templateStrings(doc)) {
      found++;
      unique.add(template);
      try {
        compileTemplate(template);
        ok++;
      } catch (e) {
        failures.push({ connector, template, error: (e as Error).message });
      }
    }
  }
  console.log(`manifests:          ${manifests.length}${yamlErrors ? ` (${yamlErrors} unreadable)` : ''}`);
  console.log(`templates found:    ${found} (${unique.size} distinct)`);
  console.log(`parsed OK:          ${ok}`);
  console.log(`failed:             ${failures.length}`);
  for (const f of failures.slice(0, 30)) {
    console.log(`\n[${f.connector}] ${JSON.stringify(f.template).slice(0, 200)}\n  ${f.error}`);
  }
  if (failures.length > 30) console.log(`\n… and ${failures.length - 30} more`);
  process.exitCode = failures.length || yamlErrors ? 1 : 0;
}

main();
