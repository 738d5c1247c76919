/**
 * Live events over Server-Sent Events (`GET /api/v1/live?access_token=`): one EventSource per signed-in
 * console, reopened with a fresh token after an error. Subscribers get every event by topic.
 */
import { useEffect } from 'react';
import { rawApi, tokens } from './client.ts';

export type LiveEvent = {
  topic: string;
  entity: string | null;
  recordId: string | null;
  payload: Record<string, unknown>;
  at: string;
};

type Listener = (event: LiveEvent) => void;
const listeners = new Set<Listener>();
const TOPICS = ['process.state_changed', 'record.created', 'record.updated', 'record.deleted'];
let source: EventSource | null = null;
let retrying = false;

function open(): void {
  const token = tokens.access;
  if (!token || typeof EventSource === 'undefined') return;
  source = new EventSource(`/api/v1/live?access_token=${encodeURIComponent(token)}`);
  for (const topic of TOPICS) {
    source.addEventListener(topic, (e) => {
      let event: LiveEvent;
      try {
        event = JSON.parse((e as MessageEvent<string>).data) as LiveEvent;
      } catch {
        return;
      }
      for (const fn of listeners) fn(event);
    });
  }
  source.onerror = () => {
    // The token may have expired: close, refresh it through an ordinary call, then reopen.
    source?.close();
    source = null;
    if (retrying) return;
    retrying = true;
    setTimeout(async () => {
      retrying = false;
      await rawApi('/api/v1/auth/me').catch(() => {});
      if (listeners.size > 0 && !source) open();
    }, 2_000);
  };
}

/** Subscribes `fn` while the component is mounted; the connection closes with the last subscriber. */
export function useLiveEvents(fn: Listener): void {
  useEffect(() => {
    listeners.add(fn);
    if (!source) open();
    return () => {
      listeners.delete(fn);
      if (listeners.size === 0) {
        source?.close();
        source = null;
      }
    };
  }, [fn]);
}
