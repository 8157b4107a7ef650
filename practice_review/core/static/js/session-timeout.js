// Warns before the session ends, and lets the person stay signed in (WCAG 2.2.1 Timing
// adjustable; issue 13; docs/signing-in.md#being-signed-out). It behaves as HMRC's timeout
// dialog does: a modal dialog that takes focus and keeps it until it closes, then gives it back;
// the time left on screen, and read out once a minute (every 20 seconds in the last minute),
// never every second; Escape means "Stay signed in".
//
// The page learns how long is left from the server (accounts/session_timeout.html, then the
// session page), and asks again before it warns: another tab in use keeps this one signed in
// too, and asking does not lengthen the session (accounts/session_views.py). A save the server
// confirms restarts the idle clock (autosave.js sends "practice-review:saved").
//
// Two ends: the idle timeout, which "Stay signed in" puts off, and the absolute one, which
// nothing does: its warning offers to save (on a page with a form that saves as you type) and
// to carry on until then. When either comes, the page goes to sign in, and anything typed and
// not saved is kept in the tab to be put back (unsaved-work.js).
import { markSignedOut } from "./unsaved-work.js";

const ASK_WHILE_OPEN_MS = 20_000; // a warning open this long asks again: another tab may be in use
const ASK_AGAIN_AFTER_FAILURE_MS = 10_000;
const SIGNED_OUT = "signed out";
const IDLE = "idle";
const ABSOLUTE = "absolute";

const plural = (count, unit) => `${count} ${unit}${count === 1 ? "" : "s"}`;

// "2 minutes" down to "1 minute", then the seconds.
function timeLeft(seconds) {
  return seconds >= 60 ? plural(Math.ceil(seconds / 60), "minute") : plural(seconds, "second");
}

// What is read out: whole minutes, then 40 and 20 seconds.
function spokenTimeLeft(seconds) {
  return timeLeft(seconds >= 60 ? Math.ceil(seconds / 60) * 60 : Math.ceil(seconds / 20) * 20);
}

function start(dialog) {
  const data = dialog.dataset;
  const warningMs = Number(data.warningSeconds) * 1000;
  const idleTimeoutMs = Number(data.idleTimeoutSeconds) * 1000;
  const form = dialog.querySelector("form");
  const announce = dialog.querySelector("[data-session-announce]");
  const warnings = {
    [IDLE]: dialog.querySelector("[data-session-warning='idle']"),
    [ABSOLUTE]: dialog.querySelector("[data-session-warning='absolute']"),
  };
  // The page's own form that saves as you type, if it has one: the absolute warning offers to
  // save it.
  const pageForm = document.querySelector("form[data-autosave]");
  if (!pageForm) {
    dialog.querySelectorAll("[data-session-if-form]").forEach((element) => element.remove());
    dialog.querySelector("[data-session-continue]").classList.remove("govuk-button--secondary");
  }

  let idleEndsAt = 0;
  let absoluteEndsAt = 0;
  let timer = null;
  let ticker = null;
  let shown = null; // IDLE or ABSOLUTE while a warning is open
  let absoluteDismissed = false; // "Continue": no second warning before the end itself
  let spoken = "";
  let returnFocusTo = null;

  function learn(left) {
    const now = Date.now();
    idleEndsAt = now + Number(left.idle_seconds_left) * 1000;
    absoluteEndsAt = now + Number(left.absolute_seconds_left) * 1000;
  }

  const endsAt = () => Math.min(idleEndsAt, absoluteEndsAt);
  const ending = () => (absoluteEndsAt <= idleEndsAt ? ABSOLUTE : IDLE);
  const secondsLeft = () => Math.max(0, Math.ceil((endsAt() - Date.now()) / 1000));

  function later(wait) {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(0, wait));
  }

  // Ask the server again when the warning is due.
  function schedule() {
    const untilEnd = endsAt() - Date.now();
    later(ending() === ABSOLUTE && absoluteDismissed ? untilEnd : untilEnd - warningMs);
  }

  async function ask(url, options = {}) {
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        redirect: "manual", // the sign-in page's redirect means the session has ended
        cache: "no-store",
        headers: { Accept: "application/json" },
        ...options,
      });
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
        return SIGNED_OUT;
      }
      return response.ok ? await response.json() : null;
    } catch (error) {
      return null; // no connection: the page keeps its own clock, and asks again
    }
  }

  function signedOut() {
    clearTimeout(timer);
    clearInterval(ticker);
    markSignedOut();
    // Loading the page again (never re-sending a form) takes the person to sign in, which brings
    // them back here; the sign-in page says why they were signed out.
    const here = new URL(window.location.href);
    here.hash = "";
    window.location.assign(here.href);
  }

  async function check() {
    const left = await ask(data.statusUrl);
    if (left === SIGNED_OUT) {
      signedOut();
      return;
    }
    if (left) learn(left);
    else if (endsAt() <= Date.now()) {
      later(ASK_AGAIN_AFTER_FAILURE_MS);
      return;
    }
    const untilEnd = endsAt() - Date.now();
    const kind = ending();
    if (untilEnd > warningMs + 1000) {
      if (shown) close(); // someone was busy in another tab
      schedule();
    } else if (kind === ABSOLUTE && absoluteDismissed) {
      later(untilEnd + 500);
    } else {
      if (shown !== kind) open(kind);
      later(Math.min(ASK_WHILE_OPEN_MS, untilEnd + 500));
    }
  }

  function render() {
    const seconds = secondsLeft();
    dialog.querySelectorAll("[data-session-countdown]").forEach((element) => {
      const text = timeLeft(seconds);
      if (element.textContent !== text) element.textContent = text;
    });
    const now = spokenTimeLeft(seconds);
    if (now !== spoken) {
      spoken = now;
      announce.textContent = `We will sign you out in ${now}.`;
    }
  }

  function open(kind) {
    if (shown) close({ giveFocusBack: false });
    shown = kind;
    for (const [name, element] of Object.entries(warnings)) element.hidden = name !== kind;
    const warning = warnings[kind];
    dialog.setAttribute("aria-labelledby", warning.querySelector("h2").id);
    dialog.setAttribute(
      "aria-describedby",
      [...warning.querySelectorAll("p[id]")].map((element) => element.id).join(" "),
    );
    // Opening says how long is left (the dialog's description); the live region speaks only
    // when that changes.
    spoken = spokenTimeLeft(secondsLeft());
    announce.textContent = "";
    render();
    if (!dialog.open) {
      returnFocusTo = document.activeElement;
      dialog.showModal();
    }
    warning.querySelector("button").focus();
    ticker = setInterval(render, 1000);
  }

  function close({ giveFocusBack = true } = {}) {
    clearInterval(ticker);
    shown = null;
    announce.textContent = "";
    if (!giveFocusBack) return;
    if (dialog.open) dialog.close();
    if (returnFocusTo && document.contains(returnFocusTo)) returnFocusTo.focus();
    returnFocusTo = null;
  }

  async function staySignedIn() {
    const left = await ask(data.extendUrl, { method: "POST", body: new FormData(form) });
    if (left === SIGNED_OUT) {
      signedOut();
    } else if (left) {
      learn(left);
      close();
      schedule();
    } else {
      announce.textContent = "We could not reach the service. Check your connection, then choose Stay signed in again.";
    }
  }

  function carryOn() {
    absoluteDismissed = true;
    close();
    schedule();
  }

  dialog.querySelector("[data-session-stay]").addEventListener("click", staySignedIn);
  dialog.querySelector("[data-session-continue]").addEventListener("click", carryOn);
  dialog.querySelector("[data-session-save]")?.addEventListener("click", () => {
    carryOn();
    pageForm.requestSubmit();
  });
  // Escape: stay signed in (the idle warning), or carry on until the end (the absolute one).
  // Tab from the last button goes round to the first, and Shift+Tab the other way: a modal
  // dialog keeps the page behind out of reach, but browsers differ on whether Tab leaves it for
  // their own toolbar.
  dialog.addEventListener("keydown", (event) => {
    if (event.key !== "Tab" || !shown) return;
    const buttons = [...warnings[shown].querySelectorAll("button")];
    const first = buttons[0];
    const last = buttons[buttons.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  // The browser closes the dialog itself on a second Escape with nothing done in between: that
  // means the same.
  function dismiss() {
    if (shown === IDLE) staySignedIn();
    else if (shown === ABSOLUTE) carryOn();
  }
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    dismiss();
  });
  dialog.addEventListener("close", dismiss);

  // A save the server confirmed is activity: the idle clock starts again.
  document.addEventListener("practice-review:saved", () => {
    idleEndsAt = Date.now() + idleTimeoutMs;
    if (shown === IDLE) close();
    if (!shown) schedule();
  });
  // Signed out in another tab (unsaved-work.js hears of it): this one goes to sign in too.
  document.addEventListener("practice-review:signed-out-elsewhere", () => later(0));
  // Timers in a hidden tab may run late: coming back to it asks at once.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") later(0);
  });

  learn({
    idle_seconds_left: data.idleSecondsLeft,
    absolute_seconds_left: data.absoluteSecondsLeft,
  });
  schedule();
}

const dialog = document.getElementById("session-timeout");
if (dialog && typeof dialog.showModal === "function") start(dialog);
