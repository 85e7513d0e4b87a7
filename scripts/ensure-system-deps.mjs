#!/usr/bin/env node
// Makes sure the system programs the heavier test tiers need are present:
//   - Debian's chromium (/usr/bin/chromium)            → needed by the `e2e` tier
//   - PostgreSQL 15+ server binaries (initdb, pg_ctl,  → needed by the `int-postgres` tier
//     postgres; PATH, then /usr/lib/postgresql/*/bin)
// A missing one is installed with apt-get when we are root or have passwordless sudo. When it
// still cannot be had, a loud warning names the tier that will be skipped and why, and the
// result (also written to .test-tmp/system-deps.json) lets scripts/test.mjs leave that tier out.
//
// Environment:
//   PUENTE_CHROMIUM=/path   use this browser binary (a missing path takes the "missing" branch)
//   PUENTE_PG_BINDIR=/dir   use the PostgreSQL binaries in this directory
//   PUENTE_NO_APT=1         never run apt-get (report what is missing instead)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPostgres, serverUser } from './pg-cluster.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RECORD = path.join(ROOT, '.test-tmp', 'system-deps.json');

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function which(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const f = path.join(dir, name);
    if (isExecutable(f)) return f;
  }
  return null;
}

export function findChromium() {
  const forced = process.env.PUENTE_CHROMIUM;
  const candidates = forced ? [forced] : ['/usr/bin/chromium', which('chromium')].filter(Boolean);
  for (const file of candidates) {
    if (!isExecutable(file)) continue;
    // Debian's wrapper script may print shell noise on stderr; only stdout matters.
    const r = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const version = (r.stdout ?? '').trim();
    if (r.status === 0 && /chrom/i.test(version)) return { path: file, version };
    return { path: null, reason: `${file} exists but \`${file} --version\` failed (${(r.stderr ?? '').trim().split('\n').pop() || `exit ${r.status}`})` };
  }
  return { path: null, reason: forced ? `PUENTE_CHROMIUM=${forced} is not an executable file` : 'no chromium at /usr/bin/chromium or in PATH' };
}

function checkPostgres() {
  const found = findPostgres();
  if (!found.binDir) return { binDir: null, reason: found.reason };
  try {
    const user = serverUser();
    return { ...found, runAs: user ? user.name : null };
  } catch (e) {
    return { binDir: null, reason: /** @type {Error} */ (e).message, partial: found };
  }
}

/** How to run apt-get here: [] as root, ['sudo', '-n'] with passwordless sudo, null when we cannot. */
function aptPrefix() {
  if (process.env.PUENTE_NO_APT === '1' || process.env.PUENTE_NO_APT === 'true') return { prefix: null, why: 'PUENTE_NO_APT is set' };
  if (!which('apt-get')) return { prefix: null, why: 'apt-get is not available (not a Debian-like system)' };
  if (typeof process.getuid === 'function' && process.getuid() === 0) return { prefix: [] };
  if (which('sudo')) {
    const r = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10_000 });
    if (r.status === 0) return { prefix: ['sudo', '-n'] };
  }
  return { prefix: null, why: 'not root and passwordless sudo is not available' };
}

function aptGet(prefix, args, log) {
  const argv = [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args];
  log(`$ ${argv.join(' ')}`);
  const r = spawnSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 20 * 60_000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const tail = output.trim().split('\n').slice(-8).join('\n');
  if (tail) log(tail.replace(/^/gm, '    '));
  return { ok: r.status === 0, output, status: r.status ?? r.signal };
}

/** apt-get install; runs apt-get update first only if the install fails for want of package lists. */
function aptInstall(prefix, pkg, log) {
  const install = ['install', '-y', '--no-install-recommends', pkg];
  let r = aptGet(prefix, install, log);
  if (!r.ok && /Unable to locate package|has no installation candidate|Failed to fetch|404\s+Not Found|is not available/i.test(r.output)) {
    log('package lists look missing or stale; running apt-get update and retrying');
    const u = aptGet(prefix, ['update'], log);
    if (u.ok) r = aptGet(prefix, install, log);
  }
  return r.ok ? { ok: true } : { ok: false, why: `apt-get install ${pkg} failed (exit ${r.status})` };
}

export function loudWarning(lines) {
  const bar = '!'.repeat(78);
  return ['', bar, ...lines.map((l) => `!!  ${l}`), bar, ''].join('\n');
}

const TIERS = {
  chromium: { tier: 'e2e', what: 'Chromium (Debian package `chromium`)', pkg: 'chromium', fix: 'apt-get install chromium, or set PUENTE_CHROMIUM=/path/to/chromium' },
  postgres: {
    tier: 'int-postgres',
    what: 'PostgreSQL 15+ server binaries (Debian package `postgresql`)',
    pkg: 'postgresql',
    fix: 'apt-get install postgresql, or set PUENTE_PG_BINDIR=/usr/lib/postgresql/<v>/bin',
  },
};

/**
 * Check (and, when possible, install) what the requested tiers need.
 * @param {{ need?: { chromium?: boolean, postgres?: boolean }, log?: (s: string) => void }} [opts]
 * @returns {{ chromium: any, postgres: any, skipped: { tier: string, reason: string }[] }}
 */
export function ensureSystemDeps({ need = { chromium: true, postgres: true }, log = (s) => console.log(s) } = {}) {
  const result = { chromium: null, postgres: null, xmllint: /** @type {string | null} */ (null), pdftotext: /** @type {string | null} */ (null), skipped: /** @type {{tier: string, reason: string}[]} */ ([]) };
  const check = { chromium: findChromium, postgres: checkPostgres };
  const ok = { chromium: (r) => !!r.path, postgres: (r) => !!r.binDir };
  let apt;

  for (const key of /** @type {const} */ (['postgres', 'chromium'])) {
    if (!need[key]) continue;
    const t = TIERS[key];
    let r = check[key]();
    if (!ok[key](r)) {
      log(`[system-deps] ${t.what}: missing — ${r.reason}`);
      apt ??= aptPrefix();
      if (apt.prefix) {
        log(`[system-deps] installing ${t.pkg} with apt-get…`);
        const inst = aptInstall(apt.prefix, t.pkg, log);
        r = check[key]();
        if (!ok[key](r)) r.reason = inst.ok ? `installed ${t.pkg}, but still: ${r.reason}` : `${inst.why}; ${r.reason}`;
      } else {
        r.reason = `${r.reason}; cannot install it: ${apt.why}`;
      }
    }
    result[key] = r;
    if (ok[key](r)) {
      if (key === 'chromium') log(`[system-deps] chromium: ${r.path} — ${r.version}`);
      else log(`[system-deps] postgres: ${r.binDir} — ${r.version}${r.runAs ? ` (test clusters run as user ${r.runAs})` : ''}`);
    } else {
      result.skipped.push({ tier: t.tier, reason: r.reason });
      log(
        loudWarning([
          `TEST TIER SKIPPED: ${t.tier}`,
          `Missing: ${t.what}`,
          `Why: ${r.reason}`,
          `Fix: ${t.fix}`,
          `The ${t.tier} tests will NOT run; the final summary says so.`,
        ]),
      );
    }
  }

  // libxml2's xmllint: a second, independent check of the XML Puente writes (Atom, sitemaps).
  // Not a tier of its own — without it those tests check with the JavaScript parser only — but
  // its absence is said out loud.
  let xmllint = which('xmllint');
  if (!xmllint) {
    apt ??= aptPrefix();
    if (apt.prefix) {
      log('[system-deps] xmllint: missing — installing libxml2-utils with apt-get…');
      aptInstall(apt.prefix, 'libxml2-utils', log);
      xmllint = which('xmllint');
    }
  }
  result.xmllint = xmllint || null;
  if (xmllint) log(`[system-deps] xmllint: ${xmllint}`);
  else
    log(
      loudWarning([
        'CHECK SKIPPED: xmllint (Debian package `libxml2-utils`) is missing and could not be installed',
        `Why: ${apt?.prefix ? 'apt-get install libxml2-utils failed' : (apt?.why ?? 'unknown')}`,
        'The XML the tests read (Atom feed, sitemap) is checked by the JavaScript parser only.',
        'Fix: apt-get install libxml2-utils',
      ]),
    );

  // poppler's pdftotext: an independent reader of the PDFs Puente writes (roadmap, check reports).
  // Like xmllint, not a tier: without it those tests check the PDF's own structure only, and say so.
  let pdftotext = which('pdftotext');
  if (!pdftotext) {
    apt ??= aptPrefix();
    if (apt.prefix) {
      log('[system-deps] pdftotext: missing — installing poppler-utils with apt-get…');
      aptInstall(apt.prefix, 'poppler-utils', log);
      pdftotext = which('pdftotext');
    }
  }
  result.pdftotext = pdftotext || null;
  if (pdftotext) log(`[system-deps] pdftotext: ${pdftotext}`);
  else
    log(
      loudWarning([
        'CHECK SKIPPED: pdftotext (Debian package `poppler-utils`) is missing and could not be installed',
        `Why: ${apt?.prefix ? 'apt-get install poppler-utils failed' : (apt?.why ?? 'unknown')}`,
        'The PDFs the tests read (roadmap) are not read back by an independent parser.',
        'Fix: apt-get install poppler-utils',
      ]),
    );

  try {
    fs.mkdirSync(path.dirname(RECORD), { recursive: true });
    fs.writeFileSync(RECORD, JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2));
  } catch {
    /* the record is a convenience */
  }
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = ensureSystemDeps();
  process.exitCode = r.skipped.length ? 2 : 0;
}
