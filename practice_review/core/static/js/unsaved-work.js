// Keeps what a person types into a form in this browser tab until it is saved, so that being
// signed out (the session timed out, or ended while they typed) loses none of it: after they
// sign in again, the form's page puts it back (issue 13; docs/signing-in.md#being-signed-out).
//
// The rule, for a form marked data-autosave (the review form) or data-keep-unsaved:
// - Every change writes the form's answers to sessionStorage as "typing", keyed by the form's
//   address, with the version and base (reviews/section_merge.py) the page had from the
//   server. A save the server confirms (autosave.js calls `saved`) removes the copy, unless
//   typing went on meanwhile. Submitting the form marks the copy "submitted".
// - Being signed out marks every copy "signed-out": autosave was sent to sign in or refused,
//   the warning's time ran out (session-timeout.js), or the sign-in page opened without the
//   person choosing Sign out (a Save that landed there, or any page after the session ended).
// - A page of a signed-in person first drops the copies of anyone else (another person signed
//   in in this tab: never show them someone else's words) and "submitted" copies (the server
//   answered that submission, and its page shows the outcome).
// - The form's own page then puts back a "signed-out" copy that differs from what the page
//   shows, says so in a banner, and keeps it as "typing" until it is saved. It puts back the
//   version and base the copy was typed against too: if the section was saved since (by them
//   before the timeout, or by a colleague), the next save merges answer by answer and shows
//   both versions of any answer both changed, so a kept copy never silently overwrites newer
//   answers. A copy only "typing" is dropped there: leaving a page sends what is waiting
//   (autosave.js), and the server's page is the truth.
// - Choosing Sign out removes every copy: the next person at a shared computer finds nothing.
//   Once signed out, it tells the service's other tabs, which remove theirs and go to sign in.
//
// Never kept: passwords, files, the CSRF token or any other hidden field. sessionStorage is this
// tab's alone and the browser empties it when the tab is closed; nothing goes to the server.
const PREFIX = "practice-review.unsaved:";
const NEVER_KEPT_TYPES = new Set(["password", "file", "hidden", "submit", "button", "reset", "image"]);
const TYPING = "typing";
const SUBMITTED = "submitted";
const SIGNED_OUT = "signed-out";
const SIGNING_OUT = "practice-review.signing-out"; // this tab chose Sign out
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("practice-review") : null;

function store() {
  try {
    return window.sessionStorage;
  } catch (error) {
    return null; // storage turned off: nothing is kept, and nothing else changes
  }
}

function read(key) {
  try {
    return JSON.parse(store().getItem(key));
  } catch (error) {
    return null;
  }
}

function write(key, copy) {
  try {
    store().setItem(key, JSON.stringify(copy));
  } catch (error) {
    // Full or turned off: the form still saves as before.
  }
}

function forget(key) {
  try {
    store().removeItem(key);
  } catch (error) {
    // nothing was kept
  }
}

function keptKeys() {
  const storage = store();
  const keys = [];
  if (!storage) return keys;
  for (let i = 0; i < storage.length; i += 1) {
    const key = storage.key(i);
    if (key && key.startsWith(PREFIX)) keys.push(key);
  }
  return keys;
}

const keyOf = (form) => PREFIX + new URL(form.action || window.location.href, window.location.href).pathname;
const owner = () => document.querySelector("[data-session-owner]")?.dataset.sessionOwner || null;
const hiddenValue = (form, name) => form.querySelector(`input[type='hidden'][name='${name}']`)?.value ?? null;

// The answers a form holds, {name: [values]}; a group with nothing chosen is there, empty.
export function answers(form) {
  const fields = {};
  for (const control of form.elements) {
    const { name, type } = control;
    if (!name || name === "csrfmiddlewaretoken" || NEVER_KEPT_TYPES.has(type)) continue;
    if (!(name in fields)) fields[name] = [];
    if (type === "checkbox" || type === "radio") {
      if (control.checked) fields[name].push(control.value);
    } else if (type === "select-multiple") {
      for (const option of control.selectedOptions) fields[name].push(option.value);
    } else {
      fields[name].push(control.value);
    }
  }
  return fields;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// Once signed out, a copy stays so whatever follows (more typing, a Save that cannot work)
// until it is put back: only `restore` starts it again as "typing".
function keep(form, state, { sticky = true } = {}) {
  const who = owner();
  if (!who || forgotten) return; // not signed in, or signed out by choice: nothing to keep
  const key = keyOf(form);
  const before = read(key);
  write(key, {
    owner: who,
    state: sticky && before?.owner === who && before.state === SIGNED_OUT ? SIGNED_OUT : state,
    fields: answers(form),
    version: hiddenValue(form, "version"),
    base: hiddenValue(form, "base"),
  });
}

// autosave.js: the server saved `sent` (the answers as they were sent). Typed since, the copy
// now differs from the newly saved version and base only by that typing.
export function saved(form, sent) {
  if (same(answers(form), sent)) forget(keyOf(form));
  else keep(form, TYPING);
}

// Signed out: whatever is kept is waiting to be put back.
export function markSignedOut() {
  for (const key of keptKeys()) {
    const copy = read(key);
    if (copy && copy.state !== SIGNED_OUT) write(key, { ...copy, state: SIGNED_OUT });
  }
}

// Once signed out by choice, this page keeps nothing more: leaving it can still fire a last
// "change" event, which must not write the words back.
let forgotten = false;

function forgetAll() {
  forgotten = true;
  keptKeys().forEach(forget);
}

function putBack(form, copy) {
  for (const control of form.elements) {
    const values = copy.fields[control.name];
    if (!values || NEVER_KEPT_TYPES.has(control.type)) continue;
    if (control.type === "checkbox" || control.type === "radio") {
      control.checked = values.includes(control.value);
    } else if (control.type === "select-multiple") {
      for (const option of control.options) option.selected = values.includes(option.value);
    } else {
      control.value = values[0] ?? "";
    }
  }
  for (const name of ["version", "base"]) {
    const input = form.querySelector(`input[type='hidden'][name='${name}']`);
    if (input && copy[name] !== null && copy[name] !== undefined) input.value = copy[name];
  }
}

// A GOV.UK notification banner (components/notification-banner) above the form, focused so that
// screen reader users hear it first, as GOV.UK Frontend focuses a banner that reports an outcome.
function tell(form, savedSince) {
  const banner = document.createElement("div");
  banner.className = "govuk-notification-banner";
  banner.setAttribute("role", "region");
  banner.setAttribute("aria-labelledby", "unsaved-work-title");
  banner.tabIndex = -1;
  const header = document.createElement("div");
  header.className = "govuk-notification-banner__header";
  const title = document.createElement("h2");
  title.className = "govuk-notification-banner__title";
  title.id = "unsaved-work-title";
  title.textContent = "Important";
  header.append(title);
  const content = document.createElement("div");
  content.className = "govuk-notification-banner__content";
  const heading = document.createElement("p");
  heading.className = "govuk-notification-banner__heading";
  heading.textContent = "We have put back what you typed before you were signed out. Check it and save.";
  content.append(heading);
  if (savedSince) {
    const more = document.createElement("p");
    more.className = "govuk-body";
    more.textContent = "Someone saved this section after you typed this (perhaps you, in another tab). When you save, your answers are checked against theirs: if you both changed the same answer, you will see both versions.";
    content.append(more);
  }
  banner.append(header, content);
  const column = form.closest(".govuk-grid-column-two-thirds, .govuk-grid-column-full") || form.parentElement;
  column.prepend(banner);
  banner.addEventListener("blur", () => banner.removeAttribute("tabindex"), { once: true });
  banner.focus();
}

function restore(form, who) {
  const key = keyOf(form);
  const copy = read(key);
  if (!copy || copy.owner !== who) return;
  if (copy.state !== SIGNED_OUT || same(copy.fields, answers(form))) {
    forget(key);
    return;
  }
  const savedSince = copy.version !== hiddenValue(form, "version");
  putBack(form, copy);
  keep(form, TYPING, { sticky: false }); // still not saved: a second sign-out keeps it again
  tell(form, savedSince);
}

function signingOut() {
  forgetAll();
  try {
    store().setItem(SIGNING_OUT, "1");
  } catch (error) {
    // the other tabs will learn of it when they next ask the server
  }
}

function start() {
  const who = owner();
  if (document.querySelector("[data-sign-in-form]")) {
    if (store()?.getItem(SIGNING_OUT)) {
      store().removeItem(SIGNING_OUT);
      channel?.postMessage(SIGNED_OUT);
    } else {
      markSignedOut();
    }
  }
  channel?.addEventListener("message", (event) => {
    if (event.data !== SIGNED_OUT) return;
    forgetAll();
    document.dispatchEvent(new CustomEvent("practice-review:signed-out-elsewhere"));
  });
  if (who) {
    for (const key of keptKeys()) {
      const copy = read(key);
      if (!copy || copy.owner !== who || copy.state === SUBMITTED) forget(key);
    }
  }
  document.querySelectorAll("form[data-autosave], form[data-keep-unsaved]").forEach((form) => {
    if (who) restore(form, who);
    form.addEventListener("input", () => keep(form, TYPING));
    form.addEventListener("change", () => keep(form, TYPING));
    form.addEventListener("submit", () => {
      if (store()?.getItem(keyOf(form))) keep(form, SUBMITTED);
    });
  });
  document.querySelectorAll("form[data-sign-out]").forEach((form) => {
    form.addEventListener("submit", signingOut);
  });
}

start();
