// One line of feedback for the last action, in a corner where it is seen wherever the page is
// scrolled; screen readers hear it through the live region. Errors stay until dismissed.

let timer;

export function notify(text, kind = "info") {
  const area = document.getElementById("notice");
  document.getElementById("notice-text").textContent = text;
  area.className = `notice notice-${kind}`;
  area.hidden = false;
  clearTimeout(timer);
  if (kind !== "error") timer = setTimeout(() => { area.hidden = true; }, 6000);
}

export function wireNotice() {
  document.getElementById("notice-close").addEventListener("click", () => {
    document.getElementById("notice").hidden = true;
  });
}
