// The emulator's clock, and moving it forward so timeouts and delays pass at once.

import { get, post } from "./api.js";
import { formatSeconds, formatTime } from "./dom.js";
import { notify } from "./notice.js";

function showClock(clock) {
  const now = document.getElementById("clock-now");
  now.textContent = formatTime(clock.nowMs);
  now.setAttribute("datetime", clock.iso);
  document.getElementById("clock-offset").textContent = clock.offsetSeconds >= 1
    ? `(${formatSeconds(clock.offsetSeconds)} ahead of real time)` : "";
}

export async function refreshClock() {
  showClock(await get("/_kyu/clock"));
}

export function wireClock(onChanged) {
  document.getElementById("advance-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const seconds = Number(document.getElementById("advance-seconds").value);
    try {
      showClock(await post("/_kyu/clock/advance", { seconds }));
      notify(`Moved the clock forward by ${formatSeconds(seconds)}.`, "success");
      await onChanged();
    } catch (error) {
      notify(`Could not move the clock: ${error.message}`, "error");
    }
  });
}
