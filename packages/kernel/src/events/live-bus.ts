/**
 * Live events of every app instance: the dispatcher NOTIFYs LIVE_CHANNEL when it consumes an event,
 * and each instance's LiveBus fans the notification out to its in-process subscribers (SSE streams)
 * of that tenant schema. Best effort by nature: a subscriber that is not connected misses events.
 */
import type { Database } from '@tenon/db';
import { decodeLive, LIVE_CHANNEL } from './delivery-policy.ts';
import type { LiveEvent, LiveSubscriber } from './types.ts';

export class LiveBus implements LiveSubscriber {
  private readonly subscribers = new Map<string, Set<(event: LiveEvent) => void>>();
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly db: Database,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  async start(): Promise<void> {
    if (this.unlisten) return;
    this.unlisten = await this.db.listen(LIVE_CHANNEL, (text) => this.publish(text));
  }

  async stop(): Promise<void> {
    const stop = this.unlisten;
    this.unlisten = null;
    await stop?.();
  }

  subscribe(schema: string, fn: (event: LiveEvent) => void): () => void {
    let set = this.subscribers.get(schema);
    if (!set) {
      set = new Set();
      this.subscribers.set(schema, set);
    }
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.subscribers.get(schema) === set) this.subscribers.delete(schema);
    };
  }

  /** Subscribers currently attached (all schemas). */
  size(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  private publish(text: string): void {
    const decoded = decodeLive(text);
    if (!decoded) return;
    const set = this.subscribers.get(decoded.schema);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(decoded.event);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
