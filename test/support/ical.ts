// A careful iCalendar (RFC 5545) reader for tests, as a calendar app reads a file: lines unfolded, properties with
// their
// parameters and unescaped text values, components nested (VCALENDAR > VEVENT).

export interface ICalProperty {
  name: string;
  params: Record<string, string>;
  value: string;
}

export interface ICalComponent {
  type: string;
  properties: ICalProperty[];
  components: ICalComponent[];
  /** The first property of that name's value, or undefined. */
  get(name: string): string | undefined;
  param(name: string, param: string): string | undefined;
}

/** RFC 5545 3.1: a CRLF followed by one space or tab continues the line. Lines must end in CRLF. */
function unfold(text: string): string[] {
  if (/[^\r]\n/.test(text)) throw new Error('iCalendar lines must end in CRLF');
  return text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter((line) => line.length > 0);
}

/** name *(";" param) ":" value, where a quoted parameter value may hold ":" and ";". */
function parseLine(line: string): ICalProperty {
  let i = 0;
  const readUntil = (stops: string): string => {
    let out = '';
    while (i < line.length && !stops.includes(line[i])) out += line[i++];
    return out;
  };
  const name = readUntil(';:').toUpperCase();
  const params: Record<string, string> = {};
  while (line[i] === ';') {
    i += 1;
    const key = readUntil('=').toUpperCase();
    i += 1;
    let value: string;
    if (line[i] === '"') {
      i += 1;
      value = readUntil('"');
      i += 1;
    } else value = readUntil(';:');
    params[key] = value;
  }
  if (line[i] !== ':') throw new Error(`not an iCalendar content line: ${line}`);
  return { name, params, value: line.slice(i + 1) };
}

const TEXT_PROPERTIES = new Set(['SUMMARY', 'DESCRIPTION', 'LOCATION', 'COMMENT', 'X-WR-CALNAME']);
const unescapeText = (value: string): string =>
  value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

function component(type: string): ICalComponent {
  const c: ICalComponent = {
    type,
    properties: [],
    components: [],
    get: (name) => c.properties.find((p) => p.name === name.toUpperCase())?.value,
    param: (name, param) => c.properties.find((p) => p.name === name.toUpperCase())?.params[param.toUpperCase()],
  };
  return c;
}

/** The calendar objects in `text` (usually one VCALENDAR). Throws on anything a strict reader would refuse. */
export function parseICalendar(text: string): ICalComponent[] {
  const roots: ICalComponent[] = [];
  const stack: ICalComponent[] = [];
  for (const line of unfold(text)) {
    const prop = parseLine(line);
    if (prop.name === 'BEGIN') {
      const c = component(prop.value.toUpperCase());
      (stack.length ? stack[stack.length - 1].components : roots).push(c);
      stack.push(c);
    } else if (prop.name === 'END') {
      const open = stack.pop();
      if (!open || open.type !== prop.value.toUpperCase())
        throw new Error(`END:${prop.value} closes ${open?.type ?? 'nothing'}`);
    } else {
      if (!stack.length) throw new Error(`${prop.name} outside any component`);
      stack[stack.length - 1].properties.push(
        TEXT_PROPERTIES.has(prop.name) ? { ...prop, value: unescapeText(prop.value) } : prop,
      );
    }
  }
  if (stack.length) throw new Error(`${stack[stack.length - 1].type} is never closed`);
  return roots;
}

/** The events of a calendar text, each with its calendar's METHOD. */
export function eventsOf(text: string): { method: string | undefined; event: ICalComponent }[] {
  return parseICalendar(text)
    .filter((c) => c.type === 'VCALENDAR')
    .flatMap((cal) =>
      cal.components.filter((e) => e.type === 'VEVENT').map((event) => ({ method: cal.get('METHOD'), event })),
    );
}
