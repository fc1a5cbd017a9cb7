// "Choose" beside a suggested lead unit fills the assign form's lead-unit field.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-choose-unit]");
  if (!button) return;
  const scope = button.closest("details, form, section") || document;
  const select = scope.querySelector("select[name$='lead_unit']");
  if (!select) return;
  select.value = button.dataset.chooseUnit;
  select.dispatchEvent(new Event("change", { bubbles: true }));
  select.focus();
});
