/**
 * Config health: cross-object Istio checks (Kiali's catalogue, istioctl's analyzers and Meshlens's routing-chain
 * checks). Each finding names the objects that take part, points at the exact line and says what to change.
 */
export { checkInventory, createCheckEngine, findingsByInvolvedObject, summarize, type CheckEngine, type CheckOptions } from './engine.js';
export { tellOnce, RELATED_CODES } from './grouping.js';
export { referencesOf } from './references.js';
export { CODES, codeInfo, type CodeInfo } from './codes.js';
export { checkCatalogue, catalogueMarkdown, catalogueText, type CatalogueEntry, type CheckStatus } from './catalogue.js';
export { isSuppressed } from './finding.js';
