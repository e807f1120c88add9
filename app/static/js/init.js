// Starts GOV.UK Frontend's components. Loaded as a module so browsers too old for it skip it,
// and every page keeps working without JavaScript.
import { initAll } from "/static/dist/govuk-frontend.min.js";

initAll();
