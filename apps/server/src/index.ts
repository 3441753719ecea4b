export { buildApp, defaultWebRoot, type AppOptions } from './app.js';
export { VERSION } from './version.js';
