#!/usr/bin/env node
// `npm test`: system dependencies → typecheck → one `vitest run` over every available project
// → a summary whose very last line is `N passed, N failed, N skipped`.
//
//   npm test                                   all tiers (unit, int-pglite, int-postgres, e2e)
//   npm test -- --project unit                 extra arguments go to vitest (--project is honoured here too)
//   PUENTE_TEST_PROJECTS=unit,int-pglite npm test
//
// Environment: PUENTE_SKIP_TYPECHECK=1 skips tsc; PUENTE_REQUIRE_ALL_TIERS=1 makes a tier skipped
// for want of chromium/PostgreSQL a failure; PUENTE_NO_APT=1, PUENTE_CHROMIUM, PUENTE_PG_BINDIR:
// see scripts/ensure-system-deps.mjs. Reports land in .test-tmp/.
//
// This file doubles as a tiny vitest reporter (its default export, loaded with
// --reporter=./scripts/test.mjs) that records per-project counts, the files each project was
// given and the skipped tests by name, which vitest's JSON report lacks.
//
// A selected tier that matches no test file fails the run (a renamed folder or a broken glob would
// otherwise pass in silence), unless file filters were given on the command line.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '..');
const TMP = path.join(ROOT, '.test-tmp');
const JSON_REPORT = path.join(TMP, 'vitest.json');
const PROJECT_REPORT = path.join(TMP, 'vitest-projects.json');
const ALL_PROJECTS = ['unit', 'int-pglite', 'int-postgres', 'e2e'];
const NEEDS = { 'int-postgres': 'postgres', e2e: 'chromium' };

/** Vitest reporter: per-project passed/failed/skipped, written to .test-tmp/vitest-projects.json. */
export default class ProjectSummaryReporter {
  /** @type {any} */
  vitest = null;
  /** @type {Record<string, number>} test files scheduled per project */
  scheduled = {};

  /** @param {any} vitest */
  onInit(vitest) {
    this.vitest = vitest;
  }

  /** @param {ReadonlyArray<any>} specifications */
  onTestRunStart(specifications) {
    this.scheduled = {};
    for (const s of specifications) {
      const name = s.project?.name || '(root)';
      this.scheduled[name] = (this.scheduled[name] ?? 0) + 1;
    }
  }

  /**
   * @param {ReadonlyArray<any>} testModules
   * @param {ReadonlyArray<any>} unhandledErrors
   * @param {string} reason
   */
  onTestRunEnd(testModules, unhandledErrors, reason) {
    /** @type {Record<string, {files: number, passed: number, failed: number, skipped: number, fileErrors: number}>} */
    const projects = {};
    /** @type {{project: string, file: string, name: string, mode: string, note?: string}[]} */
    const skippedTests = [];
    for (const m of testModules) {
      const name = m.project?.name || '(root)';
      const p = (projects[name] ??= { files: 0, passed: 0, failed: 0, skipped: 0, fileErrors: 0 });
      p.files++;
      let failed = 0;
      for (const t of m.children.allTests()) {
        const s = t.result().state;
        if (s === 'passed') p.passed++;
        else if (s === 'failed') failed++;
        else {
          p.skipped++;
          const r = t.result();
          skippedTests.push({ project: name, file: path.relative(ROOT, m.moduleId), name: t.fullName, mode: t.options?.mode ?? 'skip', ...(r.note && { note: r.note }) });
        }
      }
      p.failed += failed;
      // A file that failed without a failing test: import error, failing beforeAll, …
      if (m.state() === 'failed' && failed === 0) p.fileErrors++;
    }
    fs.mkdirSync(TMP, { recursive: true });
    // File filters from the command line (vitest keeps them on its instance; not a public API, hence the fallback).
    const filters = Array.isArray(this.vitest?.filenamePattern) ? this.vitest.filenamePattern : [];
    fs.writeFileSync(PROJECT_REPORT, JSON.stringify({ reason, unhandledErrors: unhandledErrors.length, filters, scheduled: this.scheduled, projects, skippedTests }, null, 2));
  }
}

function parseArgs(argv) {
  const rest = [];
  const projects = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--project' && i + 1 < argv.length) projects.push(argv[++i]);
    else if (a.startsWith('--project=')) projects.push(a.slice('--project='.length));
    else rest.push(a);
  }
  return { rest, projects };
}

function matchProjects(patterns) {
  const out = new Set();
  for (const pat of patterns) {
    const re = new RegExp(`^${pat.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const hits = ALL_PROJECTS.filter((p) => re.test(p));
    if (!hits.length) throw new Error(`Unknown test project "${pat}" (projects: ${ALL_PROJECTS.join(', ')})`);
    hits.forEach((h) => out.add(h));
  }
  return ALL_PROJECTS.filter((p) => out.has(p));
}

function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env });
    child.on('error', (e) => resolve({ code: 127, error: e }));
    child.on('exit', (code, signal) => resolve({ code: code ?? 128, signal }));
  });
}

const secs = (t0) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function cleanStaleArtefacts() {
  fs.mkdirSync(TMP, { recursive: true });
  for (const f of [JSON_REPORT, PROJECT_REPORT]) fs.rmSync(f, { force: true });
  for (const f of fs.readdirSync(TMP)) {
    const m = /^pglite-template-(\d+)\.tar\.gz$/.exec(f);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0); // owner alive: another run in progress
    } catch {
      fs.rmSync(path.join(TMP, f), { force: true });
    }
  }
}

async function main() {
  const t0 = performance.now();
  const { rest, projects: cliProjects } = parseArgs(process.argv.slice(2));
  const envProjects = (process.env.PUENTE_TEST_PROJECTS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const wanted = matchProjects(cliProjects.length ? cliProjects : envProjects.length ? envProjects : ALL_PROJECTS);

  // 1. System dependencies (only for the tiers that will run).
  console.log(`\n=== system dependencies (projects: ${wanted.join(', ')}) ===`);
  const { ensureSystemDeps } = await import('./ensure-system-deps.mjs');
  const deps = ensureSystemDeps({ need: { postgres: wanted.includes('int-postgres'), chromium: wanted.includes('e2e') } });
  const skippedTiers = new Map(deps.skipped.map((s) => [s.tier, s.reason]));
  const selected = wanted.filter((p) => !skippedTiers.has(p));

  const env = { ...process.env };
  if (deps.postgres?.binDir) env.PUENTE_PG_BINDIR = deps.postgres.binDir;
  if (deps.chromium?.path) env.PUENTE_CHROMIUM = deps.chromium.path;

  // 2. Typecheck.
  let typecheck = 'skipped';
  if (process.env.PUENTE_SKIP_TYPECHECK === '1') {
    console.log('\n=== typecheck: skipped (PUENTE_SKIP_TYPECHECK=1) ===');
  } else {
    console.log('\n=== typecheck: npx tsc --noEmit -p tsconfig.json ===');
    const t = performance.now();
    const r = await run('npx', ['--no-install', 'tsc', '--noEmit', '-p', 'tsconfig.json'], env);
    typecheck = r.code === 0 ? 'passed' : 'failed';
    console.log(`typecheck ${typecheck} in ${secs(t)}`);
  }

  // 3. Vitest, one run over every selected project.
  cleanStaleArtefacts();
  let vitestExit = null;
  const tv = performance.now();
  if (selected.length) {
    console.log(`\n=== vitest: ${selected.join(', ')} ===`);
    const args = [
      path.join(ROOT, 'node_modules/vitest/vitest.mjs'),
      'run',
      ...selected.flatMap((p) => ['--project', p]),
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${path.relative(ROOT, JSON_REPORT)}`,
      `--reporter=./${path.relative(ROOT, SELF)}`,
      ...rest,
    ];
    // Ctrl-C reaches vitest too; wait for it to clean up (stop clusters) and still summarise.
    const ignore = () => {};
    process.on('SIGINT', ignore);
    const r = await run(process.execPath, args, env);
    process.off('SIGINT', ignore);
    vitestExit = r.code;
  } else {
    console.log('\n=== vitest: no project left to run ===');
  }

  // 4. Summary.
  const report = selected.length ? readJson(JSON_REPORT) : null;
  const perProject = selected.length ? readJson(PROJECT_REPORT) : null;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const problems = [];
  if (typecheck === 'passed') passed++;
  if (typecheck === 'failed') {
    failed++;
    problems.push('typecheck failed (see tsc output above)');
  }
  if (selected.length) {
    if (!report) {
      failed++;
      problems.push(`vitest crashed or stopped before reporting (exit ${vitestExit}); no ${path.relative(ROOT, JSON_REPORT)}`);
    } else {
      const fileErrors = (report.testResults ?? []).filter(
        (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
      );
      passed += report.numPassedTests ?? 0;
      failed += (report.numFailedTests ?? 0) + fileErrors.length;
      skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
      for (const f of fileErrors) problems.push(`${path.relative(ROOT, f.name)}: ${String(f.message || 'failed outside a test').split('\n')[0]}`);
      if (vitestExit !== 0 && failed === 0) {
        failed++;
        problems.push(
          (report.testResults ?? []).length === 0
            ? `vitest found no test files to run (exit ${vitestExit}); see above`
            : `vitest exited with ${vitestExit} although no test failed (unhandled errors? see above)`,
        );
      }
    }
  }
  // A selected tier given no test file: fails unless file filters explain it.
  const emptyTiers = [];
  if (perProject) {
    for (const p of selected) {
      const files = perProject.scheduled?.[p] ?? perProject.projects[p]?.files ?? 0;
      if (files === 0) emptyTiers.push(p);
    }
  }
  const filtered = (perProject?.filters ?? []).length > 0;
  if (emptyTiers.length && !filtered) {
    failed += emptyTiers.length;
    for (const p of emptyTiers) problems.push(`tier ${p} matched no test file (see its include patterns in vitest.config.ts)`);
  }
  if (process.env.PUENTE_REQUIRE_ALL_TIERS === '1' && skippedTiers.size) {
    failed += skippedTiers.size;
    problems.push(`PUENTE_REQUIRE_ALL_TIERS=1 and ${skippedTiers.size} tier(s) could not run`);
  }

  const pad = (s, n) => String(s).padEnd(n);
  console.log('\n=== Puente test summary ===');
  console.log(`  ${pad('typecheck', 14)} ${typecheck}`);
  for (const p of ALL_PROJECTS) {
    let line;
    if (skippedTiers.has(p)) line = `SKIPPED — missing ${NEEDS[p]} (see warning above)`;
    else if (!wanted.includes(p)) line = 'not selected';
    else if (!perProject) line = report ? 'ran (no per-project figures)' : 'did not report';
    else {
      const c = perProject.projects[p];
      line = c
        ? `${c.passed} passed, ${c.failed + c.fileErrors} failed, ${c.skipped} skipped  (${c.files} file${c.files === 1 ? '' : 's'})`
        : emptyTiers.includes(p)
          ? filtered
            ? 'no test file matched the file filters'
            : 'FAILED: no test files'
          : 'no results (its global setup failed? see errors above)';
    }
    console.log(`  ${pad(p, 14)} ${line}`);
  }
  if (perProject?.unhandledErrors) console.log(`  unhandled errors: ${perProject.unhandledErrors}`);
  console.log(`  reports: ${path.relative(ROOT, JSON_REPORT)}, ${path.relative(ROOT, PROJECT_REPORT)}; total ${secs(t0)} (vitest ${secs(tv)})`);
  const skippedTests = perProject?.skippedTests ?? [];
  if (skippedTests.length) {
    console.log(`  skipped tests (${skippedTests.length}):`);
    for (const t of skippedTests) console.log(`    [${t.project}] ${t.file} > ${t.name}${t.mode === 'todo' ? ' (todo)' : ''}${t.note ? ` — ${t.note}` : ''}`);
  }
  for (const p of problems) console.log(`  PROBLEM: ${p}`);
  for (const [tier, reason] of skippedTiers) console.log(`  SKIPPED TIER ${tier}: ${reason}`);
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed > 0 || (selected.length && !report) ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      console.log('0 passed, 1 failed');
      process.exit(1);
    },
  );
}
