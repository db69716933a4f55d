// "Are you sure?" before a step that cannot be undone: a button with data-confirm asks
// its question first, and the form is sent only if the user agrees. (A file, not an
// onclick attribute: the site's Content-Security-Policy runs no inline script.)
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-confirm]") : null;
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
