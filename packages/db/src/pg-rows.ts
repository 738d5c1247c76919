/**
 * node-postgres prepares, for every result, the empty row its rows are copied from. It builds it on
 * a null-prototype object, which V8 keeps in dictionary mode, so copying it for each row and writing
 * each column take V8's slow paths. Built as an ordinary object, the rows are the same (own data
 * properties in column order, on Object.prototype, as the copy already gave) and a read by id of 21
 * columns costs the driver 69–74 µs instead of 87–91 (decision 0072). A column named `__proto__`
 * keeps the driver's own code, which makes it a property rather than the prototype.
 */
import Result from 'pg/lib/result.js';

type FieldDescription = { name: string; dataTypeID: number; format?: 'text' | 'binary' };
type TypeSource = { getTypeParser(oid: number, format: 'text' | 'binary'): (text: string) => unknown };
type DriverResult = {
  fields: FieldDescription[];
  _parsers: ((text: string) => unknown)[] | undefined;
  _types: TypeSource | undefined;
  _prebuiltEmptyResultObject: Record<string, null> | null;
};

const driverAddFields = Result.prototype.addFields as unknown as (
  this: DriverResult,
  fields: FieldDescription[],
) => void;
let installed = false;

/** Replaces the driver's `addFields` once per process (idempotent). */
export function installFastRows(fallbackTypes: TypeSource): void {
  if (installed) return;
  installed = true;
  (Result.prototype as { addFields: unknown }).addFields = function addFields(
    this: DriverResult,
    fields: FieldDescription[],
  ): void {
    if (fields.some((field) => field.name === '__proto__')) {
      driverAddFields.call(this, fields);
      return;
    }
    this.fields = fields;
    if (fields.length) this._parsers = new Array(fields.length);
    const types = this._types ?? fallbackTypes;
    const row: Record<string, null> = {};
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      row[field.name] = null;
      this._parsers![i] = types.getTypeParser(field.dataTypeID, field.format || 'text');
    }
    this._prebuiltEmptyResultObject = row;
  };
}
