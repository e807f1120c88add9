// Starts GOV.UK Frontend's components. Loaded as a module so browsers too old for it skip it,
// and every page keeps working without JavaScript.
import { initAll } from "/static/dist/govuk-frontend.min.js";

initAll();

// The subscribe page's "Copy address" buttons: made here, so a browser without JavaScript
// shows none (its reader selects the address and copies it by hand).
for (const input of document.querySelectorAll("input[data-copy-button]")) {
  if (!navigator.clipboard) continue;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "govuk-button govuk-button--secondary app-copy";
  button.dataset.copy = input.id;
  const label = document.createElement("span");
  label.textContent = input.dataset.copyButton;
  const what = document.createElement("span");
  what.className = "govuk-visually-hidden";
  what.textContent = " " + input.dataset.copyWhat;
  button.append(label, what);
  input.after(button);
  button.addEventListener("click", async () => {
    input.select(); // if the browser refuses the clipboard, the address is selected to copy
    try {
      await navigator.clipboard.writeText(input.value);
      label.textContent = input.dataset.copied;
    } catch {
      input.focus();
    }
  });
}

// Selects marked data-autocomplete (partner councils) become GOV.UK accessible autocompletes,
// when its script is on the page. Emptying the box empties the choice: the component leaves
// the select as it was, so the form sets it before it is sent.
if (window.accessibleAutocomplete) {
  const enhanced = [];
  for (const select of document.querySelectorAll("select[data-autocomplete]")) {
    const id = select.id;
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: "",
      showAllValues: true,
    });
    enhanced.push([select, id]);
  }
  for (const form of new Set(enhanced.map(([select]) => select.form))) {
    form.addEventListener("submit", () => {
      for (const [select, id] of enhanced) {
        const input = document.getElementById(id);
        if (select.form === form && input && !input.value.trim()) select.value = "";
      }
    });
  }
}

// On a phone the search's filters (open for a reader without JavaScript) fold behind their
// "Filter results" summary, below the results.
if (window.matchMedia("(max-width: 40.0525em)").matches) {
  for (const details of document.querySelectorAll("details.app-search-filters__details")) {
    details.open = false;
  }
}
