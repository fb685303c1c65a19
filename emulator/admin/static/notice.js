// One line of feedback for the last action; screen readers hear it through the live region.

let timer;

export function notify(text, kind = "info") {
  const area = document.getElementById("notice");
  area.textContent = text;
  area.className = `notice notice-${kind}`;
  area.hidden = false;
  clearTimeout(timer);
  if (kind !== "error") timer = setTimeout(() => { area.hidden = true; }, 6000);
}
