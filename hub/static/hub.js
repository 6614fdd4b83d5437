// The hub's one script (a module, from the hub itself: the Content-Security-Policy allows no
// other). GOV.UK Frontend's components, and the parts of staff pages that keep themselves up
// to date without reloading the page over a half-filled form.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

// <div id="..." data-live="10">: every 10 seconds the same element is fetched from this page's
// address and swapped in, unless someone is working inside it (focus in it). Forms outside it
// are never touched. Without JavaScript the page's "Refresh" link does the same by hand.
for (const part of document.querySelectorAll("[data-live]")) {
  const seconds = Math.max(5, Number(part.dataset.live) || 30);
  const refresh = async () => {
    if (document.hidden || part.contains(document.activeElement)) {
      return;
    }
    try {
      const reply = await fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
      if (!reply.ok) {
        return;
      }
      const fresh = new DOMParser().parseFromString(await reply.text(), "text/html").getElementById(part.id);
      if (fresh && fresh.innerHTML !== part.innerHTML && !part.contains(document.activeElement)) {
        part.innerHTML = fresh.innerHTML;
        part.dataset.updated = String(Date.now());
      }
    } catch {
      // The hub did not answer: try again next time; the page as it is stays.
    }
  };
  window.setInterval(refresh, seconds * 1000);
}

// "Print this page" (the taster certificate): a button, since the CSP allows no inline handler.
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
