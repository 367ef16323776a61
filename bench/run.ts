// `npm run bench`: runs every bench/*.bench.ts in turn; each prints its own figures. Benchmarks
// measure, they never pass or fail on a duration.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const only = process.argv[2];
const files = readdirSync(import.meta.dirname)
  .filter((name) => name.endsWith('.bench.ts') && (only === undefined || name.includes(only)))
  .sort();
for (const file of files) {
  console.log(`\n# ${file}`);
  await import(pathToFileURL(join(import.meta.dirname, file)).href);
}
