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
