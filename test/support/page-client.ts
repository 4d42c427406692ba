// A browser-less web client for tests: keeps the session cookie, signs in through /sign-in, reads a form's `_csrf` and
// posts forms.

export interface PageResponse {
  status: number;
  text: string;
  headers: Headers;
}

export interface PageClient {
  /** GET as a browser asks for a page (Accept: text/html), redirects not followed. */
  get(path: string): Promise<PageResponse>;
  /** POST a form (urlencoded, or multipart when `multipart` is given), redirects not followed. */
  post(
    path: string,
    form: Record<string, string> | [string, string][],
    multipart?: { field: string; name: string; content: string | Buffer; type?: string },
  ): Promise<PageResponse>;
  /** The `_csrf` of the form on the page at `path` (the session's token). */
  csrf(path: string): Promise<string>;
  /** GET `formPath`, then POST `form` with its `_csrf` to `postPath` (the form's own path unless given). */
  submit(formPath: string, form: Record<string, string>, postPath?: string): Promise<PageResponse>;
}

/** The value of the first hidden `_csrf` field in `html`. */
export function csrfOf(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

export function pageClient(baseUrl: string): PageClient {
  const cookies = new Map<string, string>();
  const remember = (headers: Headers) => {
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
  };
  const cookieHeader = (): Record<string, string> =>
    cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  async function request(
    method: string,
    path: string,
    body?: string | FormData,
    contentType?: string,
  ): Promise<PageResponse> {
    const headers: Record<string, string> = { accept: 'text/html', ...cookieHeader() };
    if (contentType) headers['content-type'] = contentType;
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    remember(response.headers);
    return { status: response.status, text: await response.text(), headers: response.headers };
  }
  const client: PageClient = {
    get: (path) => request('GET', path),
    async post(path, form, multipart) {
      if (!multipart)
        return request('POST', path, new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded');
      const data = new FormData();
      for (const [k, v] of Array.isArray(form) ? form : Object.entries(form)) data.append(k, v);
      data.append(
        multipart.field,
        new Blob([multipart.content], { type: multipart.type ?? 'text/csv' }),
        multipart.name,
      );
      // A multipart form's CSRF token travels in the action's query string, checked before the body is read
      // (docs/web.md).
      const token = Array.isArray(form) ? form.find(([k]) => k === '_csrf')?.[1] : form._csrf;
      const action = token ? `${path}${path.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(token)}` : path;
      return request('POST', action, data);
    },
    async csrf(path) {
      const page = await request('GET', path);
      const token = csrfOf(page.text);
      if (!token) throw new Error(`no _csrf on ${path} (${page.status})`);
      return token;
    },
    async submit(formPath, form, postPath = formPath) {
      return client.post(postPath, { _csrf: await client.csrf(formPath), ...form });
    },
  };
  return client;
}

/** A page client signed in as `email` through the sign-in form; throws unless the form redirects. */
export async function signedInPages(baseUrl: string, email: string, password: string): Promise<PageClient> {
  const client = pageClient(baseUrl);
  const response = await client.submit('/sign-in', { email, password });
  if (response.status !== 302 && response.status !== 303) throw new Error(`sign-in as ${email}: ${response.status}`);
  return client;
}

const decode = (text: string): string =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return m ? decode(m[1]) : undefined;
};

/**
 * What a browser would post from the first form in `html` whose action is `action` (and whose markup holds
 * `containing`, when given): text and hidden inputs, checked radios and checkboxes, selected options, textareas.
 * Repeated names (checkboxes) are joined as the urlencoded form would send them: use URLSearchParams on the pairs.
 */
export function formPairs(html: string, action: string, containing?: string): [string, string][] {
  const forms = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)].map((m) => m[0]);
  const form = forms.find(
    (f) => attr(f.slice(0, f.indexOf('>') + 1), 'action') === action && (!containing || f.includes(containing)),
  );
  if (!form) throw new Error(`no form posting to ${action}${containing ? ` with ${containing}` : ''}`);
  const pairs: [string, string][] = [];
  for (const [tag] of form.matchAll(/<input\b[^>]*>/gi)) {
    const name = attr(tag, 'name');
    const type = (attr(tag, 'type') ?? 'text').toLowerCase();
    if (!name || ['submit', 'button', 'file'].includes(type)) continue;
    if ((type === 'radio' || type === 'checkbox') && !/\schecked\b/i.test(tag)) continue;
    pairs.push([name, attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : '')]);
  }
  for (const [, open, body] of form.matchAll(/(<select\b[^>]*>)([\s\S]*?)<\/select>/gi)) {
    const name = attr(open, 'name');
    const options = [...body.matchAll(/<option\b[^>]*>/gi)].map((m) => m[0]);
    const chosen = options.find((o) => /\sselected\b/i.test(o)) ?? options[0];
    if (name && chosen) pairs.push([name, attr(chosen, 'value') ?? '']);
  }
  for (const [, open, body] of form.matchAll(/(<textarea\b[^>]*>)([\s\S]*?)<\/textarea>/gi)) {
    const name = attr(open, 'name');
    if (name) pairs.push([name, decode(body).replace(/^\n/, '')]);
  }
  return pairs;
}

/** formPairs as an object (the last value of a repeated name wins: use formPairs for checkboxes). */
export function formFields(html: string, action: string, containing?: string): Record<string, string> {
  return Object.fromEntries(formPairs(html, action, containing));
}
