/** `tenon`: serve, migrate, tenants, definition packages and demo data. */
import { parseArgs } from 'node:util';
import { isAppError } from '@tenon/core';
import { createTenant, listTenants } from '@tenon/db';
import { createUser, findUserByName, resetPassword } from '@tenon/identity';
import { inventoryCheckCommand, runRevaluations } from '@tenon/inventory';
import {
  allTenants,
  ensureAdmin,
  ensureTenant,
  openSystem,
  registerModuleDefinitions,
  startServer,
} from './boot.ts';
import { loadConfig } from './config.ts';
import { exportDefinitions, importDefinitions } from './defs-package.ts';
import { loadDemo } from './demo/load-demo.ts';
import { startWorkers } from './workers.ts';

/** Ctrl-C or a service manager's stop: the workers close their servers, then this process ends. */
function stopOnSignal(stop: () => Promise<void>): void {
  const handler = () => {
    stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

const USAGE = `Usage: tenon <command>
  serve [--demo]                  start the server (--demo loads demo data into the default tenant)
  migrate                         apply platform and tenant migrations
  tenant create <name>            create a tenant (its own schema)
  defs export <file> [--tenant t] write the tenant's definitions as JSON or YAML (.yaml)
  defs import <file> [--tenant t] [--dry-run] [--confirm]
  user create <name> [--roles a,b] [--password p] [--tenant t]
                                  a user with a membership (without --password: a one-time password)
  user reset-password <name> [--password p]
                                  a one-time password for a user who is locked out or forgot it
  demo [--tenant t]               load demo definitions and records
  inventory check                 recompute stock balances and valuation from the ledger (exit 1 on drift)
  inventory revalue               finish pending back-dated revaluations of every tenant
Environment: PORT, HOST, DATABASE_URL, TENON_DATA_DIR, LOG_LEVEL, TENON_TENANT, TENON_ADMIN_USER,
  TENON_ADMIN_PASSWORD, TENON_JWT_SECRET, TENON_ENCRYPTION_KEY, REDIS_URL, TENON_RATE_LIMIT_API,
  TENON_RATE_LIMIT_AUTH, TENON_CORS_ORIGINS, TENON_HSTS, TENON_BODY_LIMIT_MB, TENON_FILE_LIMIT_MB,
  TENON_TRUST_PROXY, TENON_WORKERS (see README.md)`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean', default: false },
      tenant: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      confirm: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      roles: { type: 'string' },
      password: { type: 'string' },
    },
  });
  const [command, sub, arg] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  const tenantName = values.tenant ?? config.defaultTenant;
  const system = await openSystem(config);
  let keepOpen = false;
  try {
    switch (command) {
      case 'serve': {
        if (values.demo) {
          const { created } = await loadDemo(system, tenantName);
          if (created) console.log(`demo data loaded into tenant "${tenantName}"`);
        }
        const tenant = await ensureTenant(system, tenantName);
        const admin = await ensureAdmin(system, tenant);
        let address: string;
        if (config.workers > 1) {
          // The database is ready: the workers serve it, this process only supervises them.
          keepOpen = true;
          await system.db.close();
          const pool = await startWorkers({ count: config.workers, env: process.env, log: console.error });
          stopOnSignal(pool.stop);
          address = pool.address;
        } else address = (await startServer(system)).address;
        keepOpen = true;
        const where = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`;
        const processes = config.workers > 1 ? `, ${config.workers} server processes` : '';
        console.log(`\nTenon is running at ${address}  (database: ${where}${processes})`);
        console.log(`  API reference: ${address}/api/docs`);
        if (admin.created) {
          console.log(`  First sign-in: tenant "${tenant.name}", user "${admin.username}"`);
          console.log(
            admin.password
              ? `  One-time password: ${admin.password}   (you will be asked to change it)`
              : '  Password: the one given in TENON_ADMIN_PASSWORD',
          );
        }
        console.log(
          `  Sign in:       curl -X POST ${address}/api/v1/auth/login -H 'content-type: application/json' \\`,
        );
        console.log(`                   -d '{"username":"${admin.username}","password":"..."}'\n`);
        break;
      }
      case 'migrate':
        for (const tenant of await listTenants(system.db)) await registerModuleDefinitions(system, tenant);
        console.log('migrations applied');
        break;
      case 'tenant':
        if (sub !== 'create' || !arg) throw new Error('usage: tenon tenant create <name>');
        await createTenant(system.db, {
          name: arg,
          settings: { timeZone: config.timeZone, currency: config.currency },
        });
        await ensureTenant(system, arg);
        console.log(`tenant "${arg}" created`);
        break;
      case 'defs':
        if (!arg || (sub !== 'export' && sub !== 'import'))
          throw new Error('usage: tenon defs export|import <file>');
        if (sub === 'export')
          console.log(`${await exportDefinitions(system, tenantName, arg)} definitions written to ${arg}`);
        else {
          const result = await importDefinitions(system, tenantName, arg, {
            dryRun: values['dry-run'],
            confirm: values.confirm,
          });
          for (const step of result.plan) console.log(`${step.destructive ? '!' : ' '} ${step.description}`);
          console.log(result.applied ? `imported ${result.entities.length} definitions` : 'nothing applied');
        }
        break;
      case 'user': {
        if (sub === 'reset-password' && arg) {
          // The operator's way back in: any user, whatever their tenants (no administrator needed).
          const user = await findUserByName(system.db, arg);
          if (!user) throw new Error(`no user "${arg}"`);
          const reset = await resetPassword(
            system.identity,
            {
              userId: user.id,
              tenant: null,
              actor: 'tenon user reset-password',
              ...(values.password ? { password: values.password } : {}),
            },
            { ip: null, userAgent: 'tenon cli', traceId: null },
          );
          console.log(`user "${reset.username}": account unlocked, every session ended`);
          console.log(`one-time password (to be changed at the next sign-in): ${reset.password}`);
          break;
        }
        if (sub !== 'create' || !arg)
          throw new Error(
            'usage: tenon user create <username> [--roles a,b] [--password p] | tenon user reset-password <username> [--password p]',
          );
        const tenant = await ensureTenant(system, tenantName);
        const created = await createUser(system.db, {
          username: arg,
          tenant,
          roles: (values.roles ?? 'admin').split(',').filter(Boolean),
          ...(values.password ? { password: values.password } : {}),
        });
        console.log(`user "${arg}" is a member of tenant "${tenant.name}"`);
        if (created.password) console.log(`one-time password: ${created.password}`);
        break;
      }
      case 'demo':
        console.log(
          (await loadDemo(system, tenantName)).created ? 'demo data loaded' : 'demo data already present',
        );
        break;
      case 'inventory': {
        if (sub === 'revalue') {
          // Pending back-dated revaluations of every tenant, run to the end (each chunk commits).
          for (const tenant of await allTenants(system)) {
            const done = await runRevaluations(system.db, tenant.schemaName);
            console.log(`${tenant.name}: ${done.finished} revaluation(s) finished, ${done.pending} pending`);
          }
          break;
        }
        if (sub !== 'check') throw new Error('usage: tenon inventory check | tenon inventory revalue');
        const drifts = await inventoryCheckCommand(system.db, await allTenants(system), console.log);
        if (drifts > 0) process.exitCode = 1;
        break;
      }
      default:
        throw new Error(`unknown command ${command}\n${USAGE}`);
    }
  } finally {
    if (!keepOpen) await system.db.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (isAppError(err)) {
    console.error(`${err.code}: ${err.message}`);
    for (const d of err.details) console.error(`  ${d.field}: ${d.message}`);
  } else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
