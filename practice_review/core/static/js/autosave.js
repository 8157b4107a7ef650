// Saves a review section as a draft while the reviewer types (progressive enhancement: the
// form's own Save button works without JavaScript).
//
// Saves are sent one at a time, each carrying the section version the last save returned, so
// a reviewer's own autosaves never conflict with each other, and pressing Save waits for a
// save in flight so it carries the newest version too. When someone else has saved the same
// section, the server answers 409 and autosave stops: the reviewer's Save then shows them
// what changed, and nothing is overwritten silently.
const PAUSE_MS = 1500; // save when typing pauses this long...
const MAX_WAIT_MS = 5000; // ...and at least this often while typing goes on

function start(form) {
  const status = form.querySelector("[data-autosave-status]");
  const version = form.querySelector("input[name='version']");
  let pauseTimer = null;
  let maxTimer = null;
  let inFlight = null; // the promise of the save being sent, if any
  let pending = false;
  let stopped = false;

  const say = (text) => { if (status) status.textContent = text; };
  say("Changes are saved automatically as you type.");

  function clearTimers() {
    clearTimeout(pauseTimer);
    clearTimeout(maxTimer);
    pauseTimer = maxTimer = null;
  }

  async function send(keepalive) {
    let response;
    try {
      response = await fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Autosave": "1" },
        credentials: "same-origin",
        redirect: "manual", // a redirect means the session has ended: not a save
        keepalive,
      });
    } catch (error) {
      say("Not saved: the connection failed. Your answers are still on this page.");
      return;
    }
    const isJson = (response.headers.get("Content-Type") || "").includes("application/json");
    if (response.type === "opaqueredirect" || !isJson) {
      stopped = true;
      say("Not saved: you have been signed out. Copy anything you need, then sign in again.");
      return;
    }
    const body = await response.json();
    if (response.ok) {
      version.value = body.version;
      say(`Saved at ${body.saved_at}.`);
    } else if (response.status === 409) {
      stopped = true;
      say("Someone else has saved this section. Choose Save to see what changed: nothing you typed is lost.");
    } else {
      say("Not saved yet: check the answers marked as wrong when you choose Save.");
    }
  }

  function save({ keepalive = false } = {}) {
    clearTimers();
    if (stopped) return Promise.resolve();
    if (inFlight) { pending = true; return inFlight; }
    pending = false;
    inFlight = send(keepalive).finally(() => {
      inFlight = null;
      if (pending && !stopped) save();
    });
    return inFlight;
  }

  function changed() {
    clearTimeout(pauseTimer);
    pauseTimer = setTimeout(save, PAUSE_MS);
    if (!maxTimer) maxTimer = setTimeout(save, MAX_WAIT_MS);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  // Leaving the page (closing the tab, navigating away) sends what is waiting at once.
  window.addEventListener("pagehide", () => {
    if ((pauseTimer || pending) && !stopped) {
      inFlight = null;
      save({ keepalive: true });
    }
  });

  // Save waits for a save in flight, so it carries the version that save returned.
  form.addEventListener("submit", (event) => {
    clearTimers();
    if (inFlight) {
      event.preventDefault();
      pending = false;
      inFlight.then(() => { stopped = true; form.submit(); });
    } else {
      stopped = true;
    }
  });
}

document.querySelectorAll("form[data-autosave]").forEach(start);
