// Runs every *.test.ts under src/ and test/ with Node's test runner, through
// tsx. Node 20's `--test` takes no glob patterns, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['src', 'test'];
const filter = process.argv[2];
const files = roots
  .flatMap((root) => readdirSync(root, { recursive: true }).map((file) => join(root, String(file))))
  .filter((file) => file.endsWith('.test.ts') && (filter == null || file.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error(`No test files found${filter ? ` matching ${filter}` : ''}.`);
  process.exit(1);
}

const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
