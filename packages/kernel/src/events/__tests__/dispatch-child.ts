/**
 * A dispatcher in its own process, for the crash test: delivers one tenant's outbox with a handler that
 * records each event's effect, and prints "ready" once listening. The parent SIGKILLs it mid-burst.
 */
import { systemClock } from '@tenon/core';
import { openPostgres, sql } from '@tenon/db';
import { OutboxDispatcher } from '../outbox-dispatcher.ts';

const [url, schema, name] = [
  process.env.TEST_DATABASE_URL,
  process.env.CHILD_SCHEMA,
  process.env.CHILD_TENANT,
];
if (!url || !schema || !name)
  throw new Error('TEST_DATABASE_URL, CHILD_SCHEMA and CHILD_TENANT are required');

const db = await openPostgres({ connectionString: url, max: 4 });
const dispatcher = new OutboxDispatcher({
  db,
  clock: systemClock,
  tenants: async () => [{ id: '', name, schemaName: schema, settings: {} }],
  pollMs: 50,
  handlers: [
    {
      name: 'effect',
      async handle(tx, event) {
        await tx.run(
          sql`INSERT INTO ${sql.id(schema, 'effect')} (event_id, pid) VALUES (${event.id}, ${process.pid})`,
        );
        // Keep each delivery open a moment, so that the kill lands inside transactions.
        await tx.run(sql`SELECT pg_sleep(0.002)`);
      },
    },
  ],
});
await dispatcher.start();
process.stdout.write('ready\n');
