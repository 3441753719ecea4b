export * from './inventory/index.js';
export * from './hosts/index.js';
export * from './routing/index.js';
export * from './graph/index.js';
export * from './checks/index.js';
export * from './health/index.js';
export * from './entities/index.js';
export * from './drafts.js';
