// One test process for several spec files (see scripts/test.mjs): imports each in turn. node:test
// runs their top-level suites one after another, in this order, and reports them together.
import { pathToFileURL } from 'node:url';

for (const file of process.argv.slice(2)) await import(pathToFileURL(file).href);
