#!/usr/bin/env node
// PR rule: a connector whose manifest.yaml (or schemas/) changed must bump metadata.yaml's
// dockerImageTag to a higher version; images are immutable per tag, so an unchanged tag would
// never be published.
//
//   node scripts/check-version-bump.mjs [--base <ref>] [--head <ref>]   (defaults: origin/main, HEAD)
//
// Compares the merge base of <base> and <head> with <head>. New connectors pass (their first tag
// is theirs to choose); deleted ones are ignored. Exit 1 with one line per offending connector.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?$/;

/** -1, 0 or 1; throws for a tag that is not semver. Pre-releases sort before their release. */
export function compareSemver(a, b) {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (!pa) throw new Error(`"${a}" is not a semantic version`);
  if (!pb) throw new Error(`"${b}" is not a semantic version`);
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return Math.sign(d);
  }
  if (pa[4] === pb[4]) return 0;
  if (pa[4] === undefined) return 1;
  if (pb[4] === undefined) return -1;
  return pa[4] < pb[4] ? -1 : 1;
}

/** connectors/<name>/ folders whose image inputs changed among `files`. */
export function connectorsWithChangedManifest(files) {
  const out = new Set();
  for (const f of files) {
    const m = /^connectors\/(source-[^/]+)\/(manifest\.yaml|schemas\/.+)$/.exec(f);
    if (m) out.add(m[1]);
  }
  return [...out].sort();
}

/**
 * The version-bump rule over a diff. `read(rev, path)` returns a file's text at 'base' or 'head',
 * or undefined when it does not exist there. Returns problems, one string per connector.
 */
export function checkVersionBumps(changedFiles, read) {
  const problems = [];
  for (const name of connectorsWithChangedManifest(changedFiles)) {
    const path = `connectors/${name}/metadata.yaml`;
    const headText = read('head', path);
    if (headText === undefined) {
      if (read('head', `connectors/${name}/manifest.yaml`) !== undefined) problems.push(`${name}: manifest.yaml changed but ${path} is missing`);
      continue; // deleted connector
    }
    const baseText = read('base', path);
    if (baseText === undefined) continue; // new connector
    const tag = (text) => parseYaml(text)?.data?.dockerImageTag;
    const before = String(tag(baseText));
    const after = String(tag(headText));
    try {
      const c = compareSemver(after, before);
      if (c === 0) problems.push(`${name}: manifest.yaml changed but dockerImageTag is still ${before}; bump it in ${path} (e.g. ${bumpPatch(before)})`);
      else if (c < 0) problems.push(`${name}: dockerImageTag went down from ${before} to ${after}; it must increase`);
    } catch (err) {
      problems.push(`${name}: ${err.message} (dockerImageTag in ${path})`);
    }
  }
  return problems;
}

function bumpPatch(v) {
  const m = SEMVER.exec(v);
  return m ? `${m[1]}.${m[2]}.${Number(m[3]) + 1}` : 'a higher version';
}

function git(args, cwd) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function checkRepository({ base = 'origin/main', head = 'HEAD', cwd = process.cwd() } = {}) {
  const mergeBase = git(['merge-base', base, head], cwd).trim();
  const files = git(['diff', '--name-only', `${mergeBase}`, head], cwd).split('\n').filter(Boolean);
  const read = (rev, path) => {
    try {
      return git(['show', `${rev === 'base' ? mergeBase : head}:${path}`], cwd);
    } catch {
      return undefined;
    }
  };
  return { checked: connectorsWithChangedManifest(files), problems: checkVersionBumps(files, read) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--base') opts.base = argv[++i];
    else if (argv[i] === '--head') opts.head = argv[++i];
    else {
      console.error(`usage: check-version-bump.mjs [--base <ref>] [--head <ref>]`);
      process.exit(2);
    }
  }
  try {
    const { checked, problems } = checkRepository(opts);
    if (problems.length) {
      console.error(`version bump check failed:\n  - ${problems.join('\n  - ')}`);
      process.exit(1);
    }
    console.log(checked.length ? `version bump check passed for ${checked.join(', ')}` : 'version bump check: no connector manifest changed');
  } catch (err) {
    console.error(`version bump check could not run: ${err.message}`);
    process.exit(2);
  }
}
