// Progressive enhancement only: every page works without it. Starts GOV.UK and MoJ Frontend components.
import { initAll as initGovUk } from '/assets/govuk/govuk-frontend.min.js';
import { initAll as initMoj } from '/assets/moj/moj-frontend.min.js';

initGovUk();
initMoj();

// The error summary takes focus itself (govuk-frontend); nothing else is needed here.
