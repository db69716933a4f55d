// The PVT estimate page's live figures (docs/pvt-app.md): every few seconds, ask the
// JSON endpoint for the figures as the server renders them and swap them in. The page
// works without this script: a reload shows the same figures.
const box = document.querySelector("[data-pvt-live]");
if (box) {
  const url = box.dataset.pvtLive;
  const every = Math.max(1, Number(box.dataset.pvtEvery) || 15) * 1000;
  const refresh = async () => {
    try {
      const response = await fetch(url, {credentials: "same-origin",
                                         headers: {Accept: "application/json"}});
      if (response.ok) {
        const data = await response.json();
        if (typeof data.html === "string" && data.html !== box.dataset.shown) {
          // The server's own rendering of its own figures: no text from the page.
          box.innerHTML = data.html;
          box.dataset.shown = data.html;
        }
      }
    } catch (error) {
      // Offline for a moment: try again at the next tick.
    }
    setTimeout(refresh, every);
  };
  setTimeout(refresh, every);
}
