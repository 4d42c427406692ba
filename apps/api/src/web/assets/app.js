// Progressive enhancement only: every page works without it. Starts GOV.UK and MoJ Frontend components.
import { initAll as initGovUk } from '/assets/govuk/govuk-frontend.min.js';
import { initAll as initMoj } from '/assets/moj/moj-frontend.min.js';

initGovUk();
initMoj();

// The error summary takes focus itself (govuk-frontend); nothing else is needed here.

// The overdue list's filter is a details element, collapsed on a phone: on wide screens it starts open.
const wide = window.matchMedia('(min-width: 48.0625em)');
const openWide = () => {
  if (wide.matches) for (const details of document.querySelectorAll('details[data-app-open-wide]')) details.open = true;
};
openWide();
wide.addEventListener('change', openWide);
