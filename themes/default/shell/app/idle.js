// Auto-lock: after `minutes` without input, or when the phone wakes up (or the app comes back
// from the background) after that long. Activity is also reported (at most every 10 s, and when
// the app goes to the background) so a reopen within the grace can stay unlocked.
const ACTIVITY = ["pointerdown", "keydown", "wheel", "touchstart", "scroll"];
const REPORT_MS = 10_000;

export function watchIdle({ minutes, onIdle, onActive }) {
  const limit = Math.max(1, Number(minutes) || 30) * 60_000;
  let last = Date.now();
  let reported = 0;
  const touch = () => {
    last = Date.now();
    if (last - reported >= REPORT_MS) {
      reported = last;
      onActive();
    }
  };
  for (const name of ACTIVITY) addEventListener(name, touch, { passive: true, capture: true });
  const check = () => {
    if (Date.now() - last >= limit) {
      last = Date.now();
      onIdle();
      return true;
    }
    return false;
  };
  setInterval(check, 15_000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") check();
    else if (Date.now() - last < limit) onActive(); // leaving: the grace starts from now
  });
}
