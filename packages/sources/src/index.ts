export * from './source.js';
export * from './files.js';
export * from './samples-file.js';
export * from './static-source.js';
export * from './snapshot-source.js';
