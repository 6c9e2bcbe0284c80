// Small behaviours without inline handlers (the Content-Security-Policy forbids those).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.dataset.autosubmit !== undefined) {
    field.form.submit();
  }
});
