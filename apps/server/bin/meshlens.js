#!/usr/bin/env node
import('../dist/entry.js').then((m) => m.main(process.argv)).catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && /dist\/(entry|cli)\.js/.test(String(err.message))) {
    console.error('meshlens is not built yet: run `npm run build` from the repository root.');
  } else {
    console.error(`meshlens: ${err && err.message ? err.message : err}`);
  }
  process.exit(2);
});
