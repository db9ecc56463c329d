#!/usr/bin/env node
// Launcher of the `kafka-pipeline` CLI: runs the TypeScript sources through tsx in a checkout,
// or the compiled dist/ (npm run build) where dev dependencies are not installed (container image) or when
// KP_RUN_COMPILED=1.
'use strict';
const path = require('node:path');

function loadCli() {
  if (process.env.KP_RUN_COMPILED === '1') return require(path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js'));
  try {
    require.resolve('tsx/cjs');
    // The project's tsconfig (its paths map @kafka-pipeline/delta-lake to the package's sources), from any cwd.
    process.env.TSX_TSCONFIG_PATH ??= path.join(__dirname, '..', 'tsconfig.json');
    require('tsx/cjs');
    // Dynamic import() goes through the ESM loader, which tsx hooks separately.
    require('tsx/esm/api').register();
    return require(path.join(__dirname, '..', 'src', 'cli', 'main.ts'));
  } catch (err) {
    if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('tsx')) {
      return require(path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js'));
    }
    throw err;
  }
}

loadCli()
  .run(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
