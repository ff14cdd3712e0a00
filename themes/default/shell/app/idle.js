// Auto-lock: after `minutes` without input, or when the phone wakes up after that long.
const ACTIVITY = ["pointerdown", "keydown", "wheel", "touchstart", "scroll"];

export function watchIdle({ minutes, onIdle }) {
  const limit = Math.max(1, Number(minutes) || 30) * 60_000;
  let last = Date.now();
  const touch = () => {
    last = Date.now();
  };
  for (const name of ACTIVITY) addEventListener(name, touch, { passive: true, capture: true });
  const check = () => {
    if (Date.now() - last >= limit) {
      last = Date.now();
      onIdle();
    }
  };
  setInterval(check, 15_000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") check();
  });
}
