// Wires the dashboard together and refreshes it every few seconds while the tab is shown.

import { get } from "./api.js";
import { refreshClock, wireClock } from "./clock.js";
import { notify, wireNotice } from "./notice.js";
import { refreshDetail, selectQueue, selectedQueue, wireDetail } from "./queue_detail.js";
import { queueKey, renderQueues } from "./queues.js";
import { refreshTopics } from "./topics.js";

const REFRESH_MS = 3000;
let failing = false;

async function refreshQueues() {
  const { queues } = await get("/_kyu/queues");
  const selected = selectedQueue();
  const stillThere = selected && queues.find((queue) => queueKey(queue) === queueKey(selected));
  if (selected && !stillThere) {
    notify(`The queue ${selected.name} no longer exists.`, "info");
    await selectQueue(null);
  }
  renderQueues(queues, selected && stillThere ? queueKey(selected) : null, choose);
}

async function refreshAll() {
  await Promise.all([refreshClock(), refreshQueues(), refreshTopics()]);
  await refreshDetail();
  document.getElementById("refreshed").textContent =
    `Updated ${new Date().toTimeString().slice(0, 8)}`;
}

// One refresh at a time; asking during one runs one more right after it.
let running = null;
let again = false;

function refresh() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      try {
        await refreshAll();
        if (failing) notify("Connected to Kyu again.", "success");
        failing = false;
      } catch (error) {
        failing = true;
        notify(error.message, "error");
      }
    } while (again);
    running = null;
  })();
  return running;
}

async function choose(queue) {
  history.replaceState(null, "", `#${encodeURIComponent(queueKey(queue))}`);
  await selectQueue(queue);
  await refresh();
}

async function selectFromAddress() {
  const key = decodeURIComponent(location.hash.slice(1));
  if (!key) return;
  const { queues } = await get("/_kyu/queues");
  const queue = queues.find((candidate) => queueKey(candidate) === key);
  if (queue) await selectQueue(queue);
}

function start() {
  wireNotice();
  wireClock(refresh);
  wireDetail(refresh);
  document.getElementById("close-detail").addEventListener("click", () => {
    history.replaceState(null, "", location.pathname);
  });
  setInterval(() => {
    if (document.getElementById("auto-refresh").checked && !document.hidden) refresh();
  }, REFRESH_MS);
  document.getElementById("refresh-now").addEventListener("click", refresh);
  selectFromAddress().catch(() => {}).finally(refresh);
}

start();
