// Writes `meshlens validate --list-checks -o markdown` between the README's checks markers (npm run docs:checks).
import { readFileSync, writeFileSync } from 'node:fs';
import { catalogueMarkdown } from '@meshlens/mesh';

const path = new URL('../README.md', import.meta.url);
const text = readFileSync(path, 'utf8');
const next = text.replace(/<!-- checks:begin -->[\s\S]*<!-- checks:end -->/, `<!-- checks:begin -->\n${catalogueMarkdown()}\n<!-- checks:end -->`);
writeFileSync(path, next);
console.log(next === text ? 'README.md: the checks table is current' : 'README.md: checks table written');
