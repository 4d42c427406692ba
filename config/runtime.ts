// The Node.js versions the processes run on: each entry point checks first, before it loads anything else (Node 20
// crashes loading the app).

/**
 * The oldest Node.js the tracker runs on, as package.json "engines" says (24 LTS is what it is built and tested on).
 */
export const MINIMUM_NODE = [22, 12] as const;

/** One line naming the version needed, or null when `version` (`20.20.2`) is new enough. */
export function unsupportedNodeMessage(
  version: string = process.versions.node,
  executable: string = process.execPath,
): string | null {
  const [major, minor] = version.split('.').map(Number);
  if (major > MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor >= MINIMUM_NODE[1])) return null;
  return `Follow-up Tracker needs Node.js ${MINIMUM_NODE.join('.')} or later (24 LTS recommended), but ${executable} is Node.js ${version}: run it with a newer node (npm start and the npm scripts use node_modules/.bin/node, Node.js 24).`;
}

/** Exits with that line (status 1) on an unsupported Node.js; call it before importing anything else. */
export function requireSupportedNode(): void {
  const message = unsupportedNodeMessage();
  if (message === null) return;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
