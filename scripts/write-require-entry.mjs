// Writes dist/index.cjs, what `require('keras-regularizers')` loads (the
// `require` export condition): it requires dist/require.js, the ES module
// entry with no top-level await, which Node 20.19+ and 22.12+ can
// require(). Older Node versions refuse with ERR_REQUIRE_ESM; this stub
// turns that into an error that says what to do.
import { writeFileSync } from 'node:fs';

const [dist = 'dist'] = process.argv.slice(2);
const stub = `'use strict';
// require('keras-regularizers'): the ES module entry without top-level await (dist/require.js).
try {
  module.exports = require('./require.js');
} catch (error) {
  const code = error && error.code;
  if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') {
    throw new Error(
      'keras-regularizers is an ES module, and this Node (' +
        process.version +
        ') cannot require() ES modules: that needs Node 20.19+ or 22.12+, not started with --no-experimental-require-module. ' +
        'Upgrade Node, or load it with \`const { layers } = await import("keras-regularizers")\`, ' +
        'or make your project an ES module ("type": "module" in package.json, or .mjs files).',
      { cause: error },
    );
  }
  throw error;
}
`;
writeFileSync(`${dist}/index.cjs`, stub);
