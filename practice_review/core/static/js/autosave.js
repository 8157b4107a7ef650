// Saves a review section as a draft while the reviewer types (progressive enhancement: the
// form's own Save button works without JavaScript).
//
// Saves are sent one at a time, each carrying the section version the last save returned, so
// a reviewer's own autosaves never conflict with each other, and pressing Save waits for a
// save in flight so it carries the newest version too. Each also carries the section's answers
// as the page last had them from the server (the signed "base"), so a save made after someone
// else saved the section is merged answer by answer: the server keeps their changes to other
// questions and answers with them, and they are put into the page. When both changed the same
// answer, the server answers 409 and autosave stops: the reviewer's Save then shows them both
// versions, and nothing is overwritten silently.
//
// Every save the server confirms is activity: it restarts the idle clock on the server
// (accounts/middleware.py) and, through the "practice-review:saved" event, the page's own
// (session-timeout.js), so nobody typing is warned or signed out. What is typed is also kept in
// this tab until it is saved (unsaved-work.js), so being signed out loses none of it.
import { answers, markSignedOut, saved } from "./unsaved-work.js";

const PAUSE_MS = 1500; // save when typing pauses this long...
const MAX_WAIT_MS = 5000; // ...and at least this often while typing goes on

const same = (a, b) => a.length === b.length && a.every((item, i) => item === b[i]);

function start(form) {
  const status = form.querySelector("[data-autosave-status]");
  const version = form.querySelector("input[name='version']");
  const base = form.querySelector("input[name='base']");
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

  // Someone else's answers the server kept, put into the page: only into a question that
  // still holds what this save sent (one typed into since keeps the newer typing, which the
  // next save sends as a change of this person's own).
  function showKept(kept, sent) {
    const now = new FormData(form);
    for (const [name, value] of Object.entries(kept)) {
      if (!same(now.getAll(name), sent.getAll(name))) continue;
      const values = Array.isArray(value) ? value.map(String) : [];
      form.querySelectorAll(`[name="${CSS.escape(name)}"]`).forEach((input) => {
        if (input.type === "checkbox" && !Array.isArray(value)) {
          input.checked = Boolean(value);
        } else if (input.type === "radio" || input.type === "checkbox") {
          input.checked = values.includes(input.value);
        } else {
          input.value = values[0] || "";
        }
      });
    }
  }

  async function send(keepalive) {
    let response;
    const sent = new FormData(form);
    const sentAnswers = answers(form);
    try {
      response = await fetch(form.action || window.location.href, {
        method: "POST",
        body: sent,
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
    // Only the sign-in page's redirect, or a refusal of the session, means signed out.
    if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
      stopped = true;
      markSignedOut();
      say("Not saved: you have been signed out. What you typed is kept in this browser tab: choose Save to sign in again, and it will be put back.");
      return;
    }
    if (!isJson) {
      say("Not saved: something went wrong. Your answers are still on this page: choose Save to try again.");
      return;
    }
    const body = await response.json();
    if (response.ok) {
      version.value = body.version;
      if (base && body.base) base.value = body.base;
      if (body.kept) showKept(body.kept, sent);
      saved(form, sentAnswers);
      document.dispatchEvent(new CustomEvent("practice-review:saved"));
      say(`Saved at ${body.saved_at}.${body.message ? ` ${body.message}` : ""}`);
    } else if (response.status === 409 && body.submitted) {
      stopped = true; // submitted (in another tab, or by someone else): nothing more to save
      say(`Not saved. ${body.submitted}`);
    } else if (response.status === 409) {
      stopped = true;
      say("Not saved: someone else has changed the same answers in this section. Choose Save to see both versions: nothing you typed is lost.");
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
