/**
 * Tables inventory owns outside the metamodel (decision 0010): the append-only ledger, the balances
 * it maintains, FIFO layers, valuation per item and company, reservations and posting keys.
 * "No lot" and "no serial" are the nil UUID, so they can be part of primary keys.
 */
import { appendOnly, type MigrationSet, sql } from '@tenon/db';

export const NIL = '00000000-0000-0000-0000-000000000000';

export const inventoryMigrations: MigrationSet = {
  name: 'inventory',
  tenant: [
    {
      id: 'inventory-0001-ledger',
      statements: (s) => [
        sql`CREATE TABLE ${sql.id(s, 'inv_posting')} (
          move_id uuid PRIMARY KEY,
          idempotency_key text NOT NULL,
          move_type text NOT NULL,
          reverses uuid,
          posted_at timestamptz NOT NULL DEFAULT now()
        )`,
        sql`CREATE UNIQUE INDEX ${sql.id('ux_inv_posting_key')} ON ${sql.id(s, 'inv_posting')} (idempotency_key)`,
        sql`CREATE UNIQUE INDEX ${sql.id('ux_inv_posting_reverses')} ON ${sql.id(s, 'inv_posting')} (reverses)`,
        ...appendOnly(s, 'inv_posting'),
        sql`CREATE TABLE ${sql.id(s, 'inv_ledger')} (
          seq bigserial PRIMARY KEY,
          move_id uuid NOT NULL,
          line_no integer NOT NULL,
          move_type text NOT NULL,
          item_id uuid NOT NULL,
          warehouse_id uuid NOT NULL,
          company_id uuid NOT NULL,
          location_id uuid NOT NULL,
          lot_id uuid NOT NULL,
          serial_id uuid NOT NULL,
          quantity numeric(28,9) NOT NULL,
          value numeric(28,9) NOT NULL,
          posting_date date NOT NULL,
          source_type text,
          source_id text,
          posted_at timestamptz NOT NULL DEFAULT now()
        )`,
        sql`CREATE INDEX ${sql.id('ix_inv_ledger_item')} ON ${sql.id(s, 'inv_ledger')} (item_id, posting_date, seq)`,
        sql`CREATE INDEX ${sql.id('ix_inv_ledger_move')} ON ${sql.id(s, 'inv_ledger')} (move_id)`,
        sql`CREATE INDEX ${sql.id('ix_inv_ledger_lot')} ON ${sql.id(s, 'inv_ledger')} (lot_id) WHERE lot_id <> ${sql.lit(NIL)}::uuid`,
        sql`CREATE INDEX ${sql.id('ix_inv_ledger_serial')} ON ${sql.id(s, 'inv_ledger')} (serial_id) WHERE serial_id <> ${sql.lit(NIL)}::uuid`,
        ...appendOnly(s, 'inv_ledger'),
        sql`CREATE TABLE ${sql.id(s, 'inv_balance')} (
          item_id uuid NOT NULL,
          location_id uuid NOT NULL,
          lot_id uuid NOT NULL,
          serial_id uuid NOT NULL,
          warehouse_id uuid NOT NULL,
          on_hand numeric(28,9) NOT NULL DEFAULT 0,
          PRIMARY KEY (item_id, location_id, lot_id, serial_id),
          CHECK (serial_id = ${sql.lit(NIL)}::uuid OR on_hand IN (0, 1))
        )`,
        sql`CREATE UNIQUE INDEX ${sql.id('ux_inv_balance_serial_once')} ON ${sql.id(s, 'inv_balance')} (serial_id)
            WHERE serial_id <> ${sql.lit(NIL)}::uuid AND on_hand <> 0`,
        sql`CREATE TABLE ${sql.id(s, 'inv_stock')} (
          item_id uuid NOT NULL,
          warehouse_id uuid NOT NULL,
          on_hand numeric(28,9) NOT NULL DEFAULT 0,
          reserved numeric(28,9) NOT NULL DEFAULT 0,
          PRIMARY KEY (item_id, warehouse_id)
        )`,
        sql`CREATE TABLE ${sql.id(s, 'inv_valuation')} (
          item_id uuid NOT NULL,
          company_id uuid NOT NULL,
          quantity numeric(28,9) NOT NULL DEFAULT 0,
          value numeric(28,9) NOT NULL DEFAULT 0,
          PRIMARY KEY (item_id, company_id)
        )`,
        sql`CREATE TABLE ${sql.id(s, 'inv_layer')} (
          seq bigserial PRIMARY KEY,
          item_id uuid NOT NULL,
          company_id uuid NOT NULL,
          move_id uuid NOT NULL,
          posting_date date NOT NULL,
          quantity numeric(28,9) NOT NULL,
          remaining numeric(28,9) NOT NULL,
          remaining_value numeric(28,9) NOT NULL,
          unit_cost numeric(28,9) NOT NULL
        )`,
        sql`CREATE INDEX ${sql.id('ix_inv_layer_open')} ON ${sql.id(s, 'inv_layer')} (item_id, company_id, seq) WHERE remaining <> 0`,
        sql`CREATE TABLE ${sql.id(s, 'inv_reservation')} (
          id uuid PRIMARY KEY,
          item_id uuid NOT NULL,
          warehouse_id uuid NOT NULL,
          lot_id uuid NOT NULL,
          serial_id uuid NOT NULL,
          quantity numeric(28,9) NOT NULL CHECK (quantity > 0),
          source_type text NOT NULL,
          source_id text NOT NULL,
          status text NOT NULL DEFAULT 'active',
          created_at timestamptz NOT NULL DEFAULT now(),
          released_at timestamptz
        )`,
        sql`CREATE INDEX ${sql.id('ix_inv_reservation_source')} ON ${sql.id(s, 'inv_reservation')} (source_type, source_id)`,
        sql`CREATE INDEX ${sql.id('ix_inv_reservation_item')} ON ${sql.id(s, 'inv_reservation')} (item_id, warehouse_id) WHERE status = 'active'`,
        sql`CREATE UNIQUE INDEX ${sql.id('ux_inv_reservation_serial')} ON ${sql.id(s, 'inv_reservation')} (serial_id)
            WHERE status = 'active' AND serial_id <> ${sql.lit(NIL)}::uuid`,
      ],
    },
    {
      id: 'inventory-0002-revaluation',
      statements: (s) => [
        sql`CREATE TABLE ${sql.id(s, 'inv_revaluation')} (
          id uuid PRIMARY KEY,
          item_id uuid NOT NULL,
          company_id uuid NOT NULL,
          from_date date NOT NULL,
          cursor_date date,
          cursor_seq bigint,
          state jsonb,
          entries_done integer NOT NULL DEFAULT 0,
          corrections integer NOT NULL DEFAULT 0,
          status text NOT NULL DEFAULT 'pending',
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now()
        )`,
        sql`CREATE UNIQUE INDEX ${sql.id('ux_inv_revaluation_pending')} ON ${sql.id(s, 'inv_revaluation')} (item_id, company_id)
            WHERE status = 'pending'`,
        sql`CREATE INDEX ${sql.id('ix_inv_ledger_correction')} ON ${sql.id(s, 'inv_ledger')} (source_id)
            WHERE move_type = 'revaluation'`,
        sql`CREATE INDEX ${sql.id('ix_inv_ledger_item_company')} ON ${sql.id(s, 'inv_ledger')} (item_id, company_id, posting_date, seq)`,
      ],
    },
    {
      // Open layers in FIFO order (posting date, seq): an issue reads the oldest few by index.
      id: 'inventory-0003-open-layers-fifo',
      statements: (s) => [
        sql`CREATE INDEX ${sql.id('ix_inv_layer_open_fifo')} ON ${sql.id(s, 'inv_layer')} (item_id, company_id, posting_date, seq)
            WHERE remaining <> 0`,
      ],
    },
    {
      // The balance report groups the ledger by balance key: without these statistics the planner
      // multiplies the columns' distinct counts, expects far more groups than there are and sorts
      // (on disk over a large ledger) instead of hashing.
      id: 'inventory-0004-ledger-key-statistics',
      statements: (s) => [
        sql`CREATE STATISTICS ${sql.id(s, 'st_inv_ledger_balance_key')} (ndistinct)
            ON item_id, warehouse_id, location_id, lot_id, serial_id FROM ${sql.id(s, 'inv_ledger')}`,
      ],
    },
    {
      // "A serial is in one place at a time" by a trigger instead of a partial unique index whose
      // predicate named on_hand: such an index stops PostgreSQL from updating on_hand in place (HOT)
      // on every balance row, so each posting left a dead version and a new key entry behind and
      // lookups slowed down as a run went on. The trigger fires only for serial rows in stock; it
      // serialises per serial (advisory lock) and then counts the serial's rows in stock, as of the
      // latest commits, after the statement's own changes. Decision 0010's addendum.
      id: 'inventory-0005-serial-once-by-trigger',
      statements: (s) => [
        sql`CREATE FUNCTION ${sql.id(s, 'inv_balance_serial_once')}() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            PERFORM pg_advisory_xact_lock(hashtextextended('inv_serial:' || NEW.serial_id::text, 0));
            IF (SELECT count(*) FROM ${sql.id(s, 'inv_balance')} b
                WHERE b.serial_id = NEW.serial_id AND b.on_hand <> 0) > 1 THEN
              RAISE EXCEPTION 'serial % is in stock in more than one place', NEW.serial_id
                USING ERRCODE = 'unique_violation', CONSTRAINT = 'ux_inv_balance_serial_once';
            END IF;
            RETURN NULL;
          END $$`,
        sql`DROP INDEX ${sql.id(s, 'ux_inv_balance_serial_once')}`,
        sql`CREATE INDEX ${sql.id('ix_inv_balance_serial')} ON ${sql.id(s, 'inv_balance')} (serial_id)
            WHERE serial_id <> ${sql.lit(NIL)}::uuid`,
        sql`CREATE TRIGGER ${sql.id('inv_balance_serial_once')} AFTER INSERT OR UPDATE ON ${sql.id(s, 'inv_balance')}
            FOR EACH ROW WHEN (NEW.serial_id <> ${sql.lit(NIL)}::uuid AND NEW.on_hand <> 0)
            EXECUTE FUNCTION ${sql.id(s, 'inv_balance_serial_once')}()`,
      ],
    },
    {
      // Fewer index entries per posting (decision 0013's addendum). The ledger's (item, company,
      // date, seq) index repeats (item, date, seq): every query by item and company is planned on
      // the latter with the company as a filter (one company per item in practice). The open layers'
      // (item, company, seq) index is covered by the FIFO-order one that every open-layer read uses.
      // Only reversals set `reverses`: its unique index need not hold every other posting's NULL.
      id: 'inventory-0006-fewer-posting-indexes',
      statements: (s) => [
        sql`DROP INDEX ${sql.id(s, 'ix_inv_ledger_item_company')}`,
        sql`DROP INDEX ${sql.id(s, 'ix_inv_layer_open')}`,
        sql`DROP INDEX ${sql.id(s, 'ux_inv_posting_reverses')}`,
        sql`CREATE UNIQUE INDEX ${sql.id('ux_inv_posting_reverses')} ON ${sql.id(s, 'inv_posting')} (reverses)
            WHERE reverses IS NOT NULL`,
      ],
    },
  ],
};
