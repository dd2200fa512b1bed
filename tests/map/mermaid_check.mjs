// Parse Mermaid diagrams with Mermaid's own parser (in jsdom, as it needs a DOM).
// Usage: node mermaid_check.mjs NODE_MODULES_PARENT < diagrams.json
// Input: a JSON list of diagram texts. Output: a JSON list of
// {ok, type, error, edges, length}, one per diagram, in order.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const home = resolve(process.argv[2]);
const require = createRequire(join(home, 'package.json'));

async function load(name) {
  const dir = require.resolve(`${name}/package.json`).replace(/package\.json$/, '');
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  let entry = meta.module || meta.main;
  const dot = meta.exports && meta.exports['.'];
  if (dot && typeof dot === 'object') {
    const pick = dot.import || dot.default || dot.node || dot.require;
    entry = typeof pick === 'string' ? pick : (pick && (pick.default || pick.import)) || entry;
  }
  return import(pathToFileURL(join(dir, entry)).href);
}

const { JSDOM } = await load('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const mermaid = (await load('mermaid')).default;
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

const texts = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const text of texts) {
  const result = { ok: false, type: null, error: null, edges: null, length: text.length };
  try {
    // What mermaid.parse() does inside, keeping the diagram to count its edges the way
    // Mermaid does (it stops at its maxEdges limit, 500 by default, with an error).
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    result.ok = true;
    result.type = diagram.type;
    const db = diagram.db;
    if (db && typeof db.getEdges === 'function') result.edges = db.getEdges().length;
  } catch (error) {
    result.error = String((error && error.message) || error).split('\n').slice(0, 4).join(' | ');
  }
  results.push(result);
}
process.stdout.write(JSON.stringify(results));
