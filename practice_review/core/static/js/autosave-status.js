// The autosave status, shown under the question being typed into as well as beside Save.
//
// autosave.js writes what happened ("Saved at 10:31:02.") into the form's status line beside
// the Save button, which screen readers announce (aria-live). On a long section that line is
// far below the question being answered, out of sight of someone typing, and of anyone using a
// screen magnifier. So the line is copied under the question last typed into: for the eye only
// (aria-hidden), since the line beside Save is the one announced. It moves only when typing
// starts in another question, so nothing shifts while a person types.
document.querySelectorAll("form[data-autosave]").forEach((form) => {
  const status = form.querySelector("[data-autosave-status]");
  if (!status) return;
  const copy = document.createElement("p");
  copy.className = "govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0";
  copy.setAttribute("aria-hidden", "true");
  copy.dataset.autosaveStatusCopy = "";
  const follow = () => { copy.textContent = status.textContent; };
  follow();
  new MutationObserver(follow).observe(status, { childList: true, characterData: true, subtree: true });

  const place = (event) => {
    const question = event.target.closest(".govuk-form-group");
    if (question && question.lastElementChild !== copy) question.append(copy);
  };
  form.addEventListener("input", place);
  form.addEventListener("change", place);
});
