/**
 * Encrypted-at-rest fields (`encrypted: true` on string and text fields: ID-card numbers, phones,
 * medical notes). Each value is sealed with AES-256-GCM and a random 96-bit IV, and stored as
 * `v1:<iv>:<tag>:<ciphertext>` (base64) in a text column. The key (TENON_ENCRYPTION_KEY) reaches the
 * record services through the tenant's metamodel (docs/decisions/0005-encrypted-fields.md).
 *
 * Values are decrypted on read and masked (`138****0000`) unless the user's permission lists the
 * field in `unmaskedFields`; they can be neither filtered (except `null`) nor sorted, and the audit
 * log keeps `***` instead of them.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError, defineErrors, type FieldError } from '@tenon/core';
import type { CompiledEntity, TenantMetamodel } from '../registry.ts';
import type { EntityDef, FieldDef } from '../types.ts';
import type { AccessDecision } from './access.ts';
import type { AuditEntry } from './audit.ts';
import type { RecordData } from './row-mapping.ts';

export const EncryptionErrors = defineErrors({
  ENCRYPTION_KEY_MISSING: {
    status: 500,
    'zh-CN': '未配置字段加密密钥（TENON_ENCRYPTION_KEY），无法读写加密字段 {field}',
    en: 'No field encryption key is configured (TENON_ENCRYPTION_KEY): cannot read or write encrypted field {field}',
  },
  ENCRYPTION_DECRYPT_FAILED: {
    status: 500,
    'zh-CN': '加密字段 {field} 无法解密：密钥不符或数据已被篡改',
    en: 'Encrypted field {field} cannot be decrypted: wrong key or tampered data',
  },
});

/** Seals and opens field values with one key. */
export type FieldCipher = { encrypt(plain: string): string; decrypt(sealed: string): string };

export const ENCRYPTABLE_KINDS = ['string', 'text'] as const;
/** What audit entries hold instead of an encrypted field's value. */
export const REDACTED = '***';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 32-byte key from base64 (44 characters) or hex (64 characters). */
export function parseEncryptionKey(text: string): Buffer {
  const t = text.trim();
  let key = Buffer.alloc(0);
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) key = Buffer.from(t, 'base64');
  if (key.length !== 32) {
    throw new Error(
      'TENON_ENCRYPTION_KEY must be 32 bytes written as base64 (44 characters) or hex (64 characters); ' +
        'generate one with `openssl rand -base64 32`',
    );
  }
  return key;
}

class SealError extends Error {}

/** AES-256-GCM with a fresh IV per value; opening a tampered or foreign value throws. */
export function createFieldCipher(key: Uint8Array | string): FieldCipher {
  const k = typeof key === 'string' ? parseEncryptionKey(key) : Buffer.from(key);
  if (k.length !== 32) throw new Error('a field encryption key has 32 bytes');
  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', k, iv, { authTagLength: TAG_BYTES });
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64'), tag.toString('base64'), body.toString('base64')].join(':');
    },
    decrypt(sealed) {
      const [version, iv64, tag64, body64, ...rest] = sealed.split(':');
      if (version !== VERSION || body64 === undefined || rest.length > 0) throw new SealError('not sealed');
      const iv = Buffer.from(iv64!, 'base64');
      const tag = Buffer.from(tag64!, 'base64');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SealError('malformed');
      const decipher = createDecipheriv('aes-256-gcm', k, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(body64, 'base64')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}

const fieldPath = (entity: CompiledEntity, field: FieldDef) => `${entity.def.name}.${field.name}`;

/** The stored (sealed) form of an encrypted field's value; null stays null. */
export function sealValue(entity: CompiledEntity, field: FieldDef, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (!entity.cipher)
    throw new AppError(EncryptionErrors.ENCRYPTION_KEY_MISSING, { field: fieldPath(entity, field) });
  return entity.cipher.encrypt(String(value));
}

/** The plaintext of a stored encrypted value. */
export function openValue(entity: CompiledEntity, field: FieldDef, stored: unknown): string {
  if (!entity.cipher)
    throw new AppError(EncryptionErrors.ENCRYPTION_KEY_MISSING, { field: fieldPath(entity, field) });
  try {
    return entity.cipher.decrypt(String(stored));
  } catch {
    throw new AppError(EncryptionErrors.ENCRYPTION_DECRYPT_FAILED, { field: fieldPath(entity, field) });
  }
}

// ---- masking ---------------------------------------------------------------------------------

/** At most this many `*` in a mask: a long note does not turn into a page of stars (nor tell its length). */
export const MAX_MASK_STARS = 16;

/** `13812340000` → `138****0000`: the first 3 and last 4 characters when there are 8 or more, else all `*`. */
export function maskValue(plain: string): string {
  const chars = [...plain];
  if (chars.length < 8) return '*'.repeat(chars.length);
  const stars = '*'.repeat(Math.min(chars.length - 7, MAX_MASK_STARS));
  return chars.slice(0, 3).join('') + stars + chars.slice(-4).join('');
}

export function isUnmasked(decision: Pick<AccessDecision, 'unmaskedFields'>, field: string): boolean {
  return decision.unmaskedFields.has('*') || decision.unmaskedFields.has(field);
}

/** The record with its encrypted fields masked, except those the decision unmasks (a copy when changed). */
export function maskEncrypted(
  entity: CompiledEntity,
  record: RecordData,
  decision: Pick<AccessDecision, 'unmaskedFields'>,
): RecordData {
  let out = record;
  for (const field of entity.encryptedFields) {
    const value = record[field.name];
    if (typeof value !== 'string' || isUnmasked(decision, field.name)) continue;
    if (out === record) out = { ...record };
    out[field.name] = maskValue(value);
  }
  return out;
}

/**
 * A user who sees a field masked and sends its mask back (a form saving every field) changes nothing:
 * the masked text is not stored over the real value. Removes such echoes from the patch.
 */
export function dropMaskEchoes(
  entity: CompiledEntity,
  patch: RecordData,
  current: RecordData,
  decision: Pick<AccessDecision, 'unmaskedFields'>,
): void {
  for (const field of entity.encryptedFields) {
    const sent = patch[field.name];
    const stored = current[field.name];
    if (typeof sent !== 'string' || typeof stored !== 'string' || isUnmasked(decision, field.name)) continue;
    if (sent !== stored && sent === maskValue(stored)) delete patch[field.name];
  }
}

// ---- audit -----------------------------------------------------------------------------------

/** The record with `***` in place of encrypted values, lines included: what the audit log keeps. */
export function redactEncrypted(
  metamodel: TenantMetamodel,
  entity: CompiledEntity,
  record: RecordData | null | undefined,
): RecordData | null | undefined {
  if (!record) return record;
  let out = record;
  const set = (key: string, value: unknown) => {
    if (out === record) out = { ...record };
    out[key] = value;
  };
  for (const field of entity.encryptedFields) {
    const value = record[field.name];
    if (value !== null && value !== undefined) set(field.name, REDACTED);
  }
  for (const field of entity.childFields) {
    const lines = record[field.name];
    const child = metamodel.find(field.target!);
    if (!Array.isArray(lines) || !child) continue;
    set(
      field.name,
      lines.map((line) => redactEncrypted(metamodel, child, line as RecordData)),
    );
  }
  return out;
}

export function redactChanges(
  metamodel: TenantMetamodel,
  entity: CompiledEntity,
  changes: AuditEntry['changes'],
): AuditEntry['changes'] {
  if (!changes) return changes;
  const out: NonNullable<AuditEntry['changes']> = {};
  if (changes.before !== undefined) out.before = redactEncrypted(metamodel, entity, changes.before) ?? null;
  if (changes.after !== undefined) out.after = redactEncrypted(metamodel, entity, changes.after) ?? null;
  return out;
}

// ---- definitions -----------------------------------------------------------------------------

/**
 * Definition rules of encrypted fields: string or text only; not unique, indexed, defaulted, the
 * title, a currency or unit field, part of a constraint, or read by a formula or numbering pattern
 * (any of these would keep or compare the plaintext); switched on or off only for a new field.
 */
export function encryptionProblems(def: EntityDef, all: FieldDef[], previous?: EntityDef): FieldError[] {
  const errors: FieldError[] = [];
  const encrypted = new Set(all.filter((f) => f.encrypted === true).map((f) => f.name));
  def.fields.forEach((f, i) => {
    const bad = (sub: string, code: string, message: string) =>
      errors.push({ field: `fields.${i}${sub ? `.${sub}` : ''}`, code, message });
    if (f.encrypted !== undefined && typeof f.encrypted !== 'boolean')
      bad('encrypted', 'invalid', 'encrypted must be true or false');
    const before = previous?.fields.find((p) => p.name === (f.renamedFrom ?? f.name));
    if (before && Boolean(before.encrypted) !== Boolean(f.encrypted)) {
      bad(
        'encrypted',
        'encryption_change',
        'encryption cannot be switched on or off for an existing field: add a new field and move the data',
      );
    }
    // Shapes are checked elsewhere: only well-formed expressions and patterns are looked into here.
    const expression = typeof f.expression === 'string' ? f.expression : '';
    const pattern = typeof f.sequence?.pattern === 'string' ? f.sequence.pattern : '';
    if ([...encrypted].some((name) => new RegExp(`\\b${name}\\b`).test(expression)))
      bad('expression', 'encrypted_field', 'a formula cannot read an encrypted field');
    if ([...encrypted].some((name) => pattern.includes(`{field:${name}}`)))
      bad('sequence.pattern', 'encrypted_field', 'a numbering pattern cannot use an encrypted field');
    for (const key of ['currencyField', 'uomField'] as const) {
      if (f[key] && encrypted.has(f[key]!))
        bad(key, 'encrypted_field', `${key} cannot be an encrypted field`);
    }
    if (f.encrypted !== true) return;
    if (!(ENCRYPTABLE_KINDS as readonly string[]).includes(f.kind))
      bad('encrypted', 'invalid', 'only string and text fields can be encrypted');
    if (f.unique || f.index)
      bad(
        'encrypted',
        'invalid',
        'an encrypted field cannot be unique or indexed (its values are not comparable)',
      );
    if (f.default !== undefined && f.default !== null)
      bad(
        'default',
        'invalid',
        'an encrypted field cannot have a default (it would be stored in clear text)',
      );
  });
  const inList = (fields: unknown) => Array.isArray(fields) && fields.some((n) => encrypted.has(n as string));
  (Array.isArray(def.unique) ? def.unique : []).forEach((u, i) => {
    if (inList(u))
      errors.push({
        field: `unique.${i}`,
        code: 'encrypted_field',
        message: 'encrypted fields cannot be unique',
      });
  });
  (Array.isArray(def.indexes) ? def.indexes : []).forEach((ix, i) => {
    if (inList(ix?.fields))
      errors.push({
        field: `indexes.${i}.fields`,
        code: 'encrypted_field',
        message: 'encrypted fields cannot be indexed',
      });
  });
  if (def.titleField && encrypted.has(def.titleField))
    errors.push({
      field: 'titleField',
      code: 'encrypted_field',
      message: 'the title field cannot be encrypted',
    });
  return errors;
}

/** 422 META_DEFINITION_INVALID-style details when a definition has encrypted fields but no key is set. */
export function missingKeyProblems(def: EntityDef, cipher: FieldCipher | null): FieldError[] {
  if (cipher) return [];
  return def.fields.flatMap((f, i) =>
    f.encrypted === true
      ? [
          {
            field: `fields.${i}.encrypted`,
            code: 'encryption_key_missing',
            message:
              'encrypted fields need a key: set TENON_ENCRYPTION_KEY (32 bytes, base64 or hex) and restart',
          },
        ]
      : [],
  );
}
