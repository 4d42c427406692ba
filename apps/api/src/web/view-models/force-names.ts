// Headings that do not repeat the force's name: an inspection's title often names its force ("Merseyside Police: NCPI
// 2018").

/**
 * Words a force's name ends with that do not tell one force from another ("Police", "Constabulary", "Police Service").
 */
const GENERIC = new Set([
  'police',
  'constabulary',
  'service',
  'services',
  'force',
  'fire',
  'and',
  '&',
  'rescue',
  'authority',
]);

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The force's name and its telling part ("Merseyside Police" → "Merseyside"), longest first. */
function namesOf(force: string): string[] {
  const words = force.trim().split(/\s+/);
  while (words.length > 1 && GENERIC.has(words[words.length - 1].toLowerCase())) words.pop();
  const core = words.join(' ');
  return [...new Set([force.trim(), core])].filter((n) => n.length > 0);
}

const anyName = (force: string): string => namesOf(force).map(escape).join('|');

/** Does `title` name the force, in full or by its telling part, as whole words? */
export function namesForce(title: string, force: string): boolean {
  if (!title || !force?.trim()) return false;
  return new RegExp(`(^|[^\\p{L}\\p{N}])(${anyName(force)})(?=$|[^\\p{L}\\p{N}])`, 'iu').test(title);
}

/**
 * `title` for a place that already names the force (under the force's heading, beside its name): without a force name
 * it starts or ends with ("Merseyside Police: NCPI 2018" and "NCPI 2018 (Merseyside)" → "NCPI 2018"). A name in the
 * middle of the title stays: cutting it out would change what the title says.
 */
export function besideForce(title: string, force: string): string {
  if (!title || !force?.trim()) return title;
  const names = anyName(force);
  const generic = '(?:\\s+(?:police|constabulary|service|services|fire|and|&|rescue))*';
  const leading = new RegExp(`^(?:the\\s+)?(?:${names})${generic}(?:\\s*[:–—,-]\\s*|\\s+)`, 'iu');
  const trailing = new RegExp(
    `(?:\\s*[:–—,-]\\s*(?:the\\s+)?(?:${names})${generic}|\\s*\\((?:the\\s+)?(?:${names})${generic}\\))$`,
    'iu',
  );
  const shorter = title.replace(leading, '').replace(trailing, '').trim();
  const onlyGeneric = shorter.split(/\s+/).every((word) => word === '' || GENERIC.has(word.toLowerCase()));
  return onlyGeneric ? title : shorter;
}
