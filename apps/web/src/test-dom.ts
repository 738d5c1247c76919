/** A jsdom window for component tests (node:test + @testing-library/react); import it first. */
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>', {
  url: 'http://localhost/',
  pretendToBeVisual: true,
});
const g = globalThis as unknown as Record<string, unknown>;
const win = dom.window as unknown as Record<string, unknown>;
for (const key of Object.getOwnPropertyNames(win)) {
  if (key in g || key.startsWith('_')) continue;
  try {
    g[key] = win[key];
  } catch {
    // read-only globals of Node stay as they are
  }
}
g.window = dom.window;
g.document = dom.window.document;
g.navigator = dom.window.navigator;
g.IS_REACT_ACT_ENVIRONMENT = true;
dom.window.matchMedia = ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addListener: () => {},
  removeListener: () => {},
  addEventListener: () => {},
  removeEventListener: () => {},
  dispatchEvent: () => false,
})) as unknown as typeof dom.window.matchMedia;
g.matchMedia = dom.window.matchMedia;
class NoResize {
  observe() {}
  unobserve() {}
  disconnect() {}
}
g.ResizeObserver = NoResize;
(dom.window as unknown as Record<string, unknown>).ResizeObserver = NoResize;

/**
 * Closes the window (its animation-frame timer would keep the test process alive). Should a library
 * still hold a handle open (a pending animation or scheduler timer), the file ends 2 s later with its
 * own exit code, long after its results were reported; the timer does not keep the process alive.
 */
export function closeDom(): void {
  dom.window.close();
  setTimeout(() => process.exit(), 2000).unref();
}
