// The studio without reloads: a decision is sent in the background and the page's main
// part replaced, with the focus kept on the same change; Escape hides an open tip.
// Every page works without this file: it only makes reviewing quicker.
(function () {
  "use strict";

  function announce(text) {
    const status = document.getElementById("status");
    if (status) { status.textContent = text; }
  }

  async function decide(form, button) {
    const data = new FormData(form);
    data.set(button.name, button.value);
    button.disabled = true;
    const response = await fetch(form.action || window.location.href, {
      method: "POST", body: data, credentials: "same-origin",
    });
    if (!response.ok) { throw new Error("HTTP " + response.status); }
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector("main");
    if (!fresh) { throw new Error("no page"); }
    document.querySelector("main").replaceWith(fresh);
    const again = fresh.querySelector('button[name="toggle"][value="' + button.value + '"]');
    if (again) {
      again.focus();
      announce(again.textContent.startsWith("Restore")
        ? "Repair rejected. The leaflet is updated."
        : "Repair restored. The leaflet is updated.");
    }
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    const button = event.submitter;
    if (form.id !== "review-form" || !button || button.name !== "toggle") { return; }
    event.preventDefault();
    decide(form, button).catch(function () {
      announce("The decision could not be saved. Reload the page and try again.");
      button.disabled = false;
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    const open = document.activeElement && document.activeElement.closest(".cl");
    const target = open || document.querySelector(".cl:hover");
    if (target) { target.classList.add("quiet"); }
  });
  for (const type of ["focusout", "mouseout"]) {
    document.addEventListener(type, function (event) {
      const cluster = event.target.closest && event.target.closest(".cl.quiet");
      if (cluster && !cluster.contains(event.relatedTarget)) { cluster.classList.remove("quiet"); }
    });
  }
})();
