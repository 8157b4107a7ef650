// Saves a review section as a draft while the reviewer types (progressive enhancement: the
// form's own Save button works without JavaScript).
//
// Saves are sent one at a time, each carrying the section version the last save returned, so
// a reviewer's own autosaves never conflict with each other. When someone else has saved the
// same section, the server answers 409 and autosave stops: the reviewer's Save then shows
// them what changed, and nothing is overwritten silently.
const DELAY_MS = 1500;

function start(form) {
  const status = form.querySelector("[data-autosave-status]");
  const version = form.querySelector("input[name='version']");
  let timer = null;
  let saving = false;
  let pending = false;
  let stopped = false;

  const say = (text) => { if (status) status.textContent = text; };
  say("Changes are saved automatically as you type.");

  async function save({ keepalive = false } = {}) {
    if (stopped) return;
    if (saving) { pending = true; return; }
    saving = true;
    pending = false;
    try {
      const response = await fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Autosave": "1" },
        credentials: "same-origin",
        keepalive,
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok) {
        version.value = body.version;
        say(`Saved at ${body.saved_at}.`);
      } else if (response.status === 409) {
        stopped = true;
        say("Someone else has saved this section. Choose Save to see what changed: nothing you typed is lost.");
      } else if (response.status === 400) {
        say("Not saved yet: check the answers marked as wrong when you choose Save.");
      } else {
        say("Not saved: the connection failed. Your answers are still on this page.");
      }
    } catch (error) {
      say("Not saved: the connection failed. Your answers are still on this page.");
    } finally {
      saving = false;
      if (pending && !stopped) save();
    }
  }

  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; save(); }, DELAY_MS);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  // Leaving the page (closing the tab, navigating away) saves what is waiting at once.
  window.addEventListener("pagehide", () => {
    if (timer) { clearTimeout(timer); timer = null; save({ keepalive: true }); }
  });
  form.addEventListener("submit", () => { clearTimeout(timer); timer = null; stopped = true; });
}

document.querySelectorAll("form[data-autosave]").forEach(start);
