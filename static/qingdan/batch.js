// Lists: the "select all" box ticks every row's box (the batch form works without it too).
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  for (const box of document.querySelectorAll('input[name="numbers"][form="batch"]')) {
    box.checked = all.checked;
  }
});
