// A browser-like client of the web forms over fetch: keeps the session cookie and posts each form with the CSRF token
// of the page it came from.
export interface FormAnswer {
  status: number;
  text: string;
  location: string | null;
}

export interface FormClient {
  get(path: string): Promise<FormAnswer>;
  /** Opens `pagePath` for its CSRF token, then posts `fields` to `action` (default: the same path). */
  submit(pagePath: string, fields: Record<string, string>, action?: string): Promise<FormAnswer>;
  /** Posts with the token of the last page opened. */
  post(action: string, fields: Record<string, string>): Promise<FormAnswer>;
  /** The cookies held, as a Cookie header (for a request the forms do not make). */
  cookieHeader(): string;
}

export function formClient(baseUrl: string): FormClient {
  const cookies = new Map<string, string>();
  let csrf = '';
  const request = async (method: string, path: string, body?: URLSearchParams): Promise<FormAnswer> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        ...(cookies.size > 0 ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const text = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text);
    if (token) csrf = token[1];
    return { status: response.status, text, location: response.headers.get('location') };
  };
  const client: FormClient = {
    get: (path) => request('GET', path),
    async submit(pagePath, fields, action = pagePath) {
      await client.get(pagePath);
      return client.post(action, fields);
    },
    post: (action, fields) => request('POST', action, new URLSearchParams({ _csrf: csrf, ...fields })),
    cookieHeader: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
  };
  return client;
}
