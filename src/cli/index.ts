import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Command } from 'commander';
import { sql } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig, type Config } from '../server/config.js';
import { acquireDataDirLock, EMBEDDED_EXTENSIONS, fromPglite, pgliteDir, redactUrl, type Database } from '../server/db/connect.js';
import { migrate } from '../server/db/migrate.js';
import { openDatabase } from '../server/runtime.js';
import { serve, explainStartupError } from '../server/main.js';
import { verifyAudit, appendAudit } from '../server/platform/audit.js';
import { ensureDemo } from '../server/demo/load.js';
import { hashPassword, PASSWORD_MIN } from '../server/platform/auth/passwords.js';
import { newId, randomToken } from '../server/platform/ids.js';
import * as exchange from '../server/features/intel/exchange.js';
import { systemActor } from '../server/platform/actor.js';

/** Run fn with the database open and migrated, and close it whatever happens. */
async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    await migrate(database.pool);
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** A failure to report to the person at the terminal; thrown so that `finally` blocks (locks) still run. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function fail(message: string, code = 1): never {
  throw new CliError(message, code);
}

function pgTool(name: string): string {
  const candidates = [name, ...['17', '16', '15'].map((v) => `/usr/lib/postgresql/${v}/bin/${name}`)];
  for (const c of candidates) {
    const r = spawnSync(c, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return c;
  }
  fail(`${name} was not found. Install the PostgreSQL client tools (Debian: apt-get install postgresql-client).`);
}

export function buildCli(): Command {
  const program = new Command();
  program
    .name('puente')
    .description('Puente — the EU-LAC Digital Alliance Cyber Collaboration Platform. Settings come from PUENTE_* environment variables (see docs/configuration.md).')
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the web service (the same as npm start, without building the web app)')
    .action(async () => {
      await serve(loadConfig()).catch(explainStartupError);
    });

  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config);
      try {
        const applied = await migrate(database.pool);
        process.stdout.write(applied.length ? `Applied migrations: ${applied.join(', ')}\n` : 'The database is up to date.\n');
      } finally {
        await database.close();
      }
    });

  const admin = program.command('admin').description('manage accounts');
  admin
    .command('create')
    .description('create a secretariat account (and the secretariat organisation if there is none)')
    .requiredOption('--email <email>', 'e-mail address, used to sign in')
    .requiredOption('--name <name>', 'full name')
    .option('--password <password>', `password (at least ${PASSWORD_MIN} characters); default: PUENTE_ADMIN_PASSWORD, or a random one printed once`)
    .option('--organisation <name>', 'name of the secretariat organisation to create if none exists', 'Puente platform secretariat')
    .action(async (o: { email: string; name: string; password?: string; organisation: string }) => {
      const password = o.password ?? process.env.PUENTE_ADMIN_PASSWORD ?? randomToken(15);
      if (password.length < PASSWORD_MIN) fail(`The password must have at least ${PASSWORD_MIN} characters.`, 2);
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(o.email)) fail('That e-mail address does not look right.', 2);
      const config = loadConfig();
      await withDatabase(config, async ({ db }) => {
        const hash = await hashPassword(password);
        await db.transaction().execute(async (trx) => {
          const taken = await trx.selectFrom('people').select('id').where(sql`lower(email)`, '=', o.email.toLowerCase()).executeTakeFirst();
          if (taken) fail(`An account with ${o.email} exists already.`, 2);
          let org = await trx
            .selectFrom('organisations as og')
            .innerJoin('people as p', 'p.organisation_id', 'og.id')
            .select('og.id')
            .where(sql<boolean>`'secretariat' = ANY(p.roles)`)
            .executeTakeFirst();
          if (!org) {
            org = { id: newId() };
            await trx
              .insertInto('organisations')
              .values({ id: org.id, name: o.organisation, country_code: 'INT', type: 'international_organisation', status: 'approved', description: 'Runs the Puente platform.' })
              .execute();
          }
          const id = newId();
          await trx
            .insertInto('people')
            .values({ id, organisation_id: org.id, email: o.email, name: o.name, password_hash: hash, roles: ['member', 'org_admin', 'secretariat'], status: 'active' })
            .execute();
          await appendAudit(trx, { action: 'person.created', organisationId: org.id, targetType: 'person', targetId: id, details: { via: 'cli', roles: ['member', 'org_admin', 'secretariat'] } });
        });
      });
      process.stdout.write(`Created secretariat account ${o.email}${o.password || process.env.PUENTE_ADMIN_PASSWORD ? '' : ` with password ${password}`}\n`);
    });

  program
    .command('backup')
    .argument('<file>', 'where to write the backup')
    .description('write a backup: a PGlite data-directory archive (embedded; stop the server first) or a pg_dump custom-format archive (PostgreSQL)')
    .action(async (file: string) => {
      const config = loadConfig();
      const target = path.resolve(file);
      if (config.databaseUrl) {
        const r = spawnSync(pgTool('pg_dump'), ['--format=custom', '--no-owner', `--file=${target}`, config.databaseUrl], { stdio: 'inherit' });
        if (r.status !== 0) fail(`pg_dump failed for ${redactUrl(config.databaseUrl)}.`);
      } else {
        if (!fs.existsSync(path.join(pgliteDir(config.dataDir), 'PG_VERSION'))) fail(`There is no embedded database in ${config.dataDir}.`, 2);
        let release: () => void;
        try {
          release = acquireDataDirLock(config.dataDir);
        } catch (e) {
          fail(`${(e as Error).message}\nStop the server, then run the backup again.`, 2);
        }
        try {
          const pglite = await PGlite.create({ dataDir: pgliteDir(config.dataDir), extensions: EMBEDDED_EXTENSIONS });
          await pglite.query('CHECKPOINT');
          const blob = await pglite.dumpDataDir('gzip');
          await pglite.close();
          fs.writeFileSync(target, Buffer.from(await blob.arrayBuffer()));
        } finally {
          release!();
        }
      }
      process.stdout.write(`Backup written to ${target} (${fs.statSync(target).size} bytes)\n`);
    });

  program
    .command('restore')
    .argument('<file>', 'a backup written by `puente backup`')
    .option('--force', 'replace the data that is there now')
    .description('restore a backup into the configured database (embedded: stop the server first)')
    .action(async (file: string, o: { force?: boolean }) => {
      const config = loadConfig();
      const source = path.resolve(file);
      if (!fs.existsSync(source)) fail(`No such file: ${source}`, 2);
      if (config.databaseUrl) {
        const args = ['--no-owner', '--exit-on-error', `--dbname=${config.databaseUrl}`];
        if (o.force) args.unshift('--clean', '--if-exists');
        const r = spawnSync(pgTool('pg_restore'), [...args, source], { stdio: 'inherit' });
        if (r.status !== 0) fail('pg_restore failed; with data already there, add --force to replace it.');
      } else {
        let release: () => void;
        try {
          release = acquireDataDirLock(config.dataDir);
        } catch (e) {
          fail(`${(e as Error).message}\nStop the server, then run the restore again.`, 2);
        }
        const dir = pgliteDir(config.dataDir);
        try {
          let movedAside: string | null = null;
          if (fs.existsSync(path.join(dir, 'PG_VERSION'))) {
            if (!o.force) fail(`${config.dataDir} already holds a database. Add --force to replace it (it is moved aside, not deleted).`, 2);
            movedAside = `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
            fs.renameSync(dir, movedAside);
          }
          const blob = new Blob([fs.readFileSync(source)]);
          let pglite: PGlite;
          try {
            pglite = await PGlite.create({ dataDir: dir, loadDataDir: blob, extensions: EMBEDDED_EXTENSIONS });
            await pglite.query('SELECT 1');
          } catch (e) {
            fs.rmSync(dir, { recursive: true, force: true });
            // Put back what was there: a failed restore must leave the installation as it found it.
            if (movedAside) fs.renameSync(movedAside, dir);
            fail(`${source} is not a Puente embedded backup (${(e as Error).message}).`, 2);
          }
          const database = fromPglite(pglite, { checkpoint: true });
          await migrate(database.pool);
          await database.close();
        } finally {
          release!();
        }
      }
      process.stdout.write(`Restored ${source}. Check the audit chain with: puente audit verify\n`);
    });

  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('verify')
    .description('check every entry of the audit chain; exits 1 and names the first broken entry')
    .action(async () => {
      const config = loadConfig();
      const result = await withDatabase(config, ({ db }) => verifyAudit(db));
      if (result.ok) {
        process.stdout.write(`Audit chain intact: ${result.checked} entries verified.\n`);
      } else {
        process.stdout.write(`Audit chain BROKEN at entry ${result.firstBroken!.seq}: ${result.firstBroken!.reason} (${result.checked} entries verified before it).\n`);
        process.exitCode = 1;
      }
    });

  const demo = program.command('demo').description('the demo community');
  demo
    .command('load')
    .description('load the demo community into an empty database (or reset the demo password with PUENTE_DEMO_PASSWORD)')
    .action(async () => {
      const config = loadConfig();
      const status = await withDatabase(config, ({ db }) => ensureDemo(db, config.demoPassword));
      if (!status) fail('This database already has organisations that are not the demo: nothing loaded.', 2);
      process.stdout.write(`Demo community ${status.loadedNow ? 'loaded' : 'already present'}; password: ${status.password}\n`);
      for (const a of status.accounts) process.stdout.write(`  ${a.email.padEnd(34)} ${a.role}\n`);
    });

  const intel = program.command('intel').description('threat-intelligence reference content');
  const loadReference = async (what: 'attack' | 'kev', file: string | undefined) => {
    const config = loadConfig();
    const source = path.resolve(file ?? exchange.REFERENCE_FILES[what]);
    let objects: unknown[];
    try {
      objects = exchange.referenceObjects(what, JSON.parse(fs.readFileSync(source, 'utf8')));
    } catch (e) {
      fail(`Cannot read ${source}: ${(e as Error).message}`, 2);
    }
    const r = await withDatabase(config, (database) =>
      exchange.loadReference(database, systemActor(), what, objects, { auditDetails: { file: path.basename(source), via: 'cli' }, keepWhenAllRejected: true }),
    );
    process.stdout.write(`${path.basename(source)}: ${r.total} objects — ${r.accepted} new, ${r.duplicates} already there, ${r.rejected} rejected\n`);
    for (const x of r.results.filter((y) => y.status === 'rejected').slice(0, 20)) process.stdout.write(`  rejected ${x.id}: ${x.reasons?.map((z) => z.message).join('; ')}\n`);
    if (r.rejected) process.exitCode = 1;
  };
  intel
    .command('load-attack [file]')
    .description('load MITRE ATT&CK (default: the ATT&CK for ICS bundle shipped with Puente) as CLEAR reference content')
    .action(async (file?: string) => loadReference('attack', file));
  intel
    .command('load-kev [file]')
    .description('load a CISA KEV catalogue (default: the snapshot shipped with Puente) as CLEAR reference content')
    .action(async (file?: string) => loadReference('kev', file));

  return program;
}

export async function runCli(argv = process.argv) {
  try {
    await buildCli().parseAsync(argv);
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    explainStartupError(e);
  }
}
