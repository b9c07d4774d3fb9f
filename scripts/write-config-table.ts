/** `npm run docs:config`: rewrites the README's configuration table from server/config.ts's OPTIONS. */
import fs from 'node:fs';
import path from 'node:path';
import { configTableMarkdown } from '../server/config';

const readmePath = path.join(__dirname, '..', '..', 'README.md');
const readme = fs.readFileSync(readmePath, 'utf8');
const marked = /(<!-- config-table:start -->\n)[\s\S]*?(<!-- config-table:end -->)/;
if (!marked.test(readme)) throw new Error('README.md has no <!-- config-table:start/end --> markers');
fs.writeFileSync(readmePath, readme.replace(marked, (_m, start: string, end: string) => `${start}${configTableMarkdown()}\n${end}`));
