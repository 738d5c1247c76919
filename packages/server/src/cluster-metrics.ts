/**
 * Metrics of several server processes on one port (node:cluster, `TENON_WORKERS`): any worker's
 * `/metrics` answers for all of them. The worker asks the primary, which collects the registry of
 * every worker that has offered one (a worker still starting has not, and is not waited for), sums
 * them with prom-client's AggregatorRegistry and replies.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** One registry's metrics, as `getMetricsAsJSON` gives them. */
type Part = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

type Message =
  /** worker → primary: this worker's registry can be collected. */
  | { type: 'tenon:metrics-offer' }
  /** worker → primary: the metrics of every worker, please. */
  | { type: 'tenon:metrics-request'; id: number }
  /** primary → worker: your registry, please. */
  | { type: 'tenon:metrics-collect'; id: number }
  /** worker → primary: a registry, as JSON. */
  | { type: 'tenon:metrics-part'; id: number; metrics?: Part; error?: string }
  /** primary → worker: the answer to a request. */
  | { type: 'tenon:metrics-reply'; id: number; text?: string; error?: string };

/** How long the primary waits for a worker's registry, and a worker for the primary's answer. */
const COLLECT_MS = 3000;
const REQUEST_MS = 5000;

let primaryInstalled = false;

/** In the primary: answers workers' requests for the metrics of all of them. Idempotent. */
export function serveClusterMetrics(): void {
  if (primaryInstalled) return;
  primaryInstalled = true;
  const offered = new Set<Worker>();
  const collections = new Map<number, { waiting: Set<Worker>; parts: Part[]; finish: () => void }>();
  let nextId = 0;

  const collect = (asker: Worker, requestId: number) => {
    const id = nextId++;
    const parts: Part[] = [];
    const waiting = new Set([...offered].filter((w) => w.isConnected()));
    const finish = () => {
      if (!collections.delete(id)) return;
      clearTimeout(timer);
      const reply = (body: { text?: string; error?: string }) =>
        send(asker, { type: 'tenon:metrics-reply', id: requestId, ...body });
      Promise.resolve()
        .then(() => AggregatorRegistry.aggregate(parts).metrics())
        .then(
          (text) => reply({ text }),
          (err: unknown) => reply({ error: String(err) }),
        );
    };
    // A worker that does not answer in time is left out rather than failing the page.
    const timer = setTimeout(finish, COLLECT_MS);
    collections.set(id, { waiting, parts, finish });
    for (const worker of waiting) send(worker, { type: 'tenon:metrics-collect', id });
    if (waiting.size === 0) finish();
  };

  cluster.on('message', (worker, message: Message) => {
    if (message?.type === 'tenon:metrics-offer') offered.add(worker);
    else if (message?.type === 'tenon:metrics-request') collect(worker, message.id);
    else if (message?.type === 'tenon:metrics-part') {
      const collection = collections.get(message.id);
      if (!collection?.waiting.delete(worker)) return;
      if (message.metrics) collection.parts.push(message.metrics);
      if (collection.waiting.size === 0) collection.finish();
    }
  });
  cluster.on('exit', (worker) => {
    offered.delete(worker);
    for (const collection of collections.values())
      if (collection.waiting.delete(worker) && collection.waiting.size === 0) collection.finish();
  });
}

function send(worker: Worker, message: Message): void {
  if (worker.isConnected()) worker.send(message);
}

let nextRequest = 0;
const requests = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void }>();

/**
 * In a worker: offers `registry` to the primary and returns a function that fetches the metrics of
 * every worker. Outside a cluster worker: null (the registry answers alone).
 */
export function clusterMetricsOf(registry: Registry): (() => Promise<string>) | null {
  const toPrimary = process.send?.bind(process);
  if (!cluster.isWorker || !toPrimary) return null;
  process.on('message', (message: Message) => {
    if (message?.type === 'tenon:metrics-collect') {
      registry.getMetricsAsJSON().then(
        (metrics) => toPrimary({ type: 'tenon:metrics-part', id: message.id, metrics } satisfies Message),
        (err: unknown) =>
          toPrimary({ type: 'tenon:metrics-part', id: message.id, error: String(err) } satisfies Message),
      );
    } else if (message?.type === 'tenon:metrics-reply') {
      const waiting = requests.get(message.id);
      if (!waiting) return;
      requests.delete(message.id);
      if (message.error !== undefined) waiting.reject(new Error(`cluster metrics: ${message.error}`));
      else waiting.resolve(message.text ?? '');
    }
  });
  toPrimary({ type: 'tenon:metrics-offer' } satisfies Message);
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextRequest++;
      const timer = setTimeout(() => {
        requests.delete(id);
        reject(new Error('cluster metrics: the primary did not answer'));
      }, REQUEST_MS);
      requests.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      toPrimary({ type: 'tenon:metrics-request', id } satisfies Message);
    });
}
