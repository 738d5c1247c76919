import { v7, validate, version } from 'uuid';

/** A new UUIDv7: time-ordered, so primary-key inserts stay at the right edge of the index. */
export function newId(): string {
  return v7();
}

export function isUuid(text: unknown): text is string {
  return typeof text === 'string' && validate(text);
}

export function isUuidV7(text: unknown): boolean {
  return isUuid(text) && version(text) === 7;
}
