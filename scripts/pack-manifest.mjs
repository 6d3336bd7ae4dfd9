// Keeps `prepare` out of the published package.json. `prepare` builds dist
// for installs from a git URL (npm runs it there), but in a tarball, whose
// dist is already built, npm lists it as an install script of ours, and the
// scripts it calls are not in the tarball. `prepack` strips it (keeping the
// original beside it) and `postpack` puts the original back.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const [manifest, kept] = ['package.json', 'package.json.orig'];
if (process.argv[2] === 'strip') {
  const original = readFileSync(manifest, 'utf8');
  const json = JSON.parse(original);
  delete json.scripts.prepare;
  writeFileSync(kept, original);
  writeFileSync(manifest, `${JSON.stringify(json, null, 2)}\n`);
} else if (process.argv[2] === 'restore') {
  if (existsSync(kept)) renameSync(kept, manifest);
} else {
  console.error('usage: node scripts/pack-manifest.mjs strip|restore');
  process.exit(1);
}
