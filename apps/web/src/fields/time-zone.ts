/** Instants are shown in the user's time zone; business dates are plain `YYYY-MM-DD` and never shifted. */
export function userTimeZone(): string {
  return localStorage.getItem('tenon.timeZone') ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function formatInstant(iso: string, lang: string, timeZone = userTimeZone()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date);
}

/** The wall-clock `YYYY-MM-DDTHH:mm` of an instant in a time zone (what a datetime input shows). */
export function toLocalInput(iso: string, timeZone = userTimeZone()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The UTC instant of a wall-clock `YYYY-MM-DDTHH:mm` in a time zone. */
export function fromLocalInput(local: string, timeZone = userTimeZone()): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  // The zone's offset at that moment, found by formatting the guess back (two passes cover DST edges).
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const shown = toLocalInput(new Date(guess).toISOString(), timeZone);
    const s = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(shown)!;
    const shownUtc = Date.UTC(+s[1]!, +s[2]! - 1, +s[3]!, +s[4]!, +s[5]!);
    guess += asUtc - shownUtc;
  }
  return new Date(guess).toISOString().replace('.000Z', 'Z');
}
