export * from './inventory/index.js';
