// The browser's globals and elements as the tests' page functions (run in the page by Playwright's evaluate) read
// them: the tests compile without TypeScript's DOM library, so these name the few parts they use.

export interface PageElement {
  tagName: string;
  /** A string on HTML elements; on SVG ones, an animated string whose `baseVal` is the string. */
  className: { baseVal?: string; toString(): string } | undefined;
  textContent: string;
  innerText: string;
  value: string;
  /** A <details> element's state. */
  open: boolean;
  previousElementSibling: PageElement | null;
  classList: { contains(name: string): boolean };
  matches(selector: string): boolean;
  querySelector(selector: string): PageElement | null;
  /** A NodeList: iterable and indexed, with no array methods. */
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  getAttribute(name: string): string | null;
  /** An SVG element's transform to the screen (`a`: its horizontal scale). */
  getScreenCTM(): { a: number } | null;
}

export interface PageStyle {
  fontFamily: string;
  fontSize: string;
  content: string;
  backgroundImage: string;
  maskImage: string;
  webkitMaskImage: string;
}

/** A Content Security Policy violation, as the `securitypolicyviolation` event reports it. */
export interface CspViolationEvent {
  violatedDirective: string;
  blockedURI: string;
}

export interface PageGlobals {
  document: PageElement & {
    documentElement: { scrollWidth: number };
    activeElement: PageElement | null;
    addEventListener(type: 'securitypolicyviolation', listener: (event: CspViolationEvent) => void): void;
  };
  innerWidth: number;
  getComputedStyle(element: PageElement, pseudo?: string | null): PageStyle;
  /** What test/browser/api-docs.test.ts collects of the page's CSP violations. */
  cspViolations?: string[];
  /** axe-core, once test/support/browser.ts has injected it. */
  axe: { run(context: unknown, options: object): Promise<{ violations: AxeResult[] }> };
}

/** One rule axe-core finds broken, with the elements that break it. */
export interface AxeResult {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}
