// Where the GOV.UK and MoJ Frontend packages keep their templates and precompiled assets, and where our own views live.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

/** `node_modules/govuk-frontend/dist`: `govuk/template.njk`, `govuk/components/...` and the built assets. */
export const GOVUK_FRONTEND_DIST = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');
/** `node_modules/@ministryofjustice/frontend`: `moj/components/...` and `moj/moj-frontend.min.*`. */
export const MOJ_FRONTEND_ROOT = path.dirname(require.resolve('@ministryofjustice/frontend/package.json'));
/** Our templates and assets sit beside this file, in the sources and (copied by `npm run build`) in dist. */
export const WEB_VIEWS = path.join(here, 'views');
export const WEB_ASSETS = path.join(here, 'assets');
