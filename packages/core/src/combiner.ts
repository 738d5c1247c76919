/**
 * Requests that arrive while earlier ones are in flight, handed over together: the way a database
 * batches commits. Used where each request is a short write that would otherwise pay alone for its
 * round trips and its commit (combined stock postings, combined creates).
 *
 * A request waits one turn of the event loop before it is taken, so requests made together (and the
 * callers answered by the previous batch) travel together. Up to `workers` batches are in flight
 * at once; each takes its share of the waiting requests, at most `max`, among those `fits` accepts.
 */
export type Waiting<T, R> = { item: T; done: (result: R) => void; fail: (err: unknown) => void };

export type CombinerOptions<T, R> = {
  /** Batches in flight at once. */
  workers: number;
  /** Requests per batch at most. */
  max: number;
  /** Whether `candidate` may join `batch` (default: always). */
  fits?: (batch: T[], candidate: T) => boolean;
  /** Runs a batch and answers every request in it (`done` or `fail`); must not throw. */
  run: (batch: Waiting<T, R>[]) => Promise<void>;
};

export class Combiner<T, R> {
  private workers = 0;
  private busy = 0;
  private readonly waiting: Waiting<T, R>[] = [];

  constructor(private readonly options: CombinerOptions<T, R>) {}

  add(item: T): Promise<R> {
    return new Promise<R>((done, fail) => {
      this.waiting.push({ item, done, fail });
      if (this.workers === 0) void this.work();
    });
  }

  private async work(): Promise<void> {
    this.workers++;
    try {
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.waiting.length === 0) return;
        const batch = this.take(Math.ceil(this.waiting.length / (this.options.workers - this.busy)));
        if (this.waiting.length > 0 && this.workers < this.options.workers) void this.work();
        this.busy++;
        try {
          await this.options.run(batch).catch((err: unknown) => {
            for (const w of batch) w.fail(err);
          });
        } finally {
          this.busy--;
        }
      }
    } finally {
      this.workers--;
    }
  }

  /** The next batch: at most `share` (and `max`) waiting requests that fit together, oldest first. */
  private take(share: number): Waiting<T, R>[] {
    const limit = Math.min(share, this.options.max);
    const batch: Waiting<T, R>[] = [];
    const items: T[] = [];
    for (let i = 0; i < this.waiting.length && batch.length < limit; ) {
      const w = this.waiting[i]!;
      if (items.length > 0 && this.options.fits && !this.options.fits(items, w.item)) {
        i++;
        continue;
      }
      items.push(w.item);
      batch.push(w);
      this.waiting.splice(i, 1);
    }
    return batch;
  }
}
