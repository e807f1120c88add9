// Builds app/static/dist/: GOV.UK Frontend's Sass compiled with our settings, and its JavaScript.
import { compile } from "sass";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const dist = join(here, "dist");
mkdirSync(dist, { recursive: true });

const result = compile(join(here, "src", "application.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(dist, "application.css"), result.css);

const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(dist, "govuk-frontend.min.js"));

// GOV.UK's accessible autocomplete: a script that turns a <select> into a type-ahead (the
// select works alone without JavaScript), and its styles.
const autocomplete = join(root, "node_modules", "accessible-autocomplete", "dist");
for (const file of ["accessible-autocomplete.min.js", "accessible-autocomplete.min.css"]) {
  copyFileSync(join(autocomplete, file), join(dist, file));
}
console.log(
  "Built app/static/dist/application.css, govuk-frontend.min.js and accessible-autocomplete",
);
