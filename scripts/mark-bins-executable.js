#!/usr/bin/env node
/**
 * The build's last step: make every bin in package.json executable. tsc writes dist/ with
 * mode 644, and npm only marks a bin executable when it links it, which `npm ci` does before
 * `prepare` builds dist/ (and `npx` skips when its cache already holds the link), so without
 * this `npx image-edits-sandbox` can answer "Permission denied".
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const { bin } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
for (const file of Object.values(bin)) {
  const target = path.join(root, file);
  fs.chmodSync(target, fs.statSync(target).mode | 0o111);
}
