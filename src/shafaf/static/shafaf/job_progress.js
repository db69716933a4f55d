// A background job's page: ask for its figures every second, move the bar, and reload
// the page (which then shows the outcome) once the job is over.
(() => {
  const section = document.getElementById("job");
  if (!section || section.dataset.state === "done" || section.dataset.state === "failed") {
    return;
  }
  const bar = document.getElementById("job-bar");
  const figures = document.getElementById("job-figures");
  const format = new Intl.NumberFormat(document.documentElement.lang || "ar");
  const poll = async () => {
    try {
      const response = await fetch(section.dataset.progress, {credentials: "same-origin"});
      if (response.ok) {
        const job = await response.json();
        if (job.over) {
          window.location.reload();
          return;
        }
        if (job.percent !== null) {
          bar.value = job.percent;
        }
        if (job.total) {
          figures.textContent = `${format.format(job.done)} / ${format.format(job.total)}`;
        }
      }
    } catch (error) {
      // A lost connection: try again at the next tick.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
})();
