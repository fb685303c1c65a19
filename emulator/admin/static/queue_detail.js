// The selected queue: its messages, a form to send one, purge, and redrive out of a DLQ.

import { get, post, queuePath } from "./api.js";
import { formatTime, h } from "./dom.js";
import { renderMessages } from "./messages.js";
import { notify } from "./notice.js";
import { queueKey } from "./queues.js";

const $ = (id) => document.getElementById(id);
let current = null;

export const selectedQueue = () => current;

function showHeading(queue) {
  $("detail-title").textContent = queue.name;
  $("detail-meta").replaceChildren(
    h("span", {}, queue.fifo ? "FIFO queue" : "Standard queue"), " · ",
    h("span", {}, `account ${queue.account}`), " · ",
    h("span", {}, queue.region), " · ",
    h("code", { class: "small" }, queue.url));
  for (const field of document.querySelectorAll(".fifo-only")) field.hidden = !queue.fifo;
  $("redrive-button").hidden = queue.deadLetterSources.length === 0;
}

function renderMoveTasks(tasks) {
  const area = $("move-tasks");
  area.hidden = tasks.length === 0;
  area.replaceChildren(h("h3", {}, "Redrive tasks"),
    h("p", { class: "muted small" }, "Only messages that came here as dead letters have a "
      + "source queue to go back to; messages sent straight to this queue stay."),
    h("ul", { class: "tasks" }, tasks.map((task) =>
    h("li", {},
      h("span", { class: `state task-${task.Status.toLowerCase()}` }, task.Status), " ",
      `${task.ApproximateNumberOfMessagesMoved} of ${task.ApproximateNumberOfMessagesToMove ?? "?"} `
        + `moved, started ${formatTime(task.StartedTimestamp)}`,
      task.FailureReason ? h("span", { class: "error-text" }, ` — ${task.FailureReason}`) : null))));
}

export async function refreshDetail() {
  if (!current) return;
  const queue = current;
  const peeked = await get(queuePath(queue, "/messages"));
  if (queue !== current) return;
  showHeading(peeked.queue);
  renderMessages(peeked);
  const isDeadLetterQueue = peeked.queue.deadLetterSources.length > 0;
  renderMoveTasks(isDeadLetterQueue ? (await get(queuePath(queue, "/move-tasks"))).tasks : []);
}

export async function selectQueue(queue) {
  const another = queue === null || current === null || queueKey(queue) !== queueKey(current);
  current = queue;
  $("queue-detail").hidden = queue === null;
  if (queue === null) return;
  if (another) {  // a half-typed message stays while its queue stays selected
    $("send-form").reset();
    $("messages").querySelector("tbody").replaceChildren();
  }
  await refreshDetail();
}

function sendDocument() {
  const message = { body: $("send-body").value };
  const optional = {
    messageGroupId: $("send-group").value,
    messageDeduplicationId: $("send-dedup").value,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (current.fifo && value !== "") message[key] = value;
  }
  const delay = $("send-delay").value;
  if (delay !== "") message.delaySeconds = Number(delay);
  return message;
}

async function send(event, onChanged) {
  event.preventDefault();
  const queue = current;
  try {
    const sent = await post(queuePath(queue, "/send"), sendDocument());
    notify(`Sent message ${sent.messageId} to ${queue.name}.`, "success");
    $("send-body").value = "";
    await onChanged();
  } catch (error) {
    notify(`Could not send to ${queue.name}: ${error.message}`, "error");
  }
}

async function confirmPurge(queue) {
  const dialog = $("confirm-dialog");
  $("confirm-text").textContent = `Every message in ${queue.name} (account ${queue.account}, `
    + `${queue.region}) will be deleted. This cannot be undone.`;
  dialog.returnValue = "";
  dialog.showModal();
  $("confirm-cancel").focus();
  await new Promise((resolve) => dialog.addEventListener("close", resolve, { once: true }));
  return dialog.returnValue === "ok";
}

async function purge(onChanged) {
  const queue = current;
  if (!(await confirmPurge(queue))) return;
  try {
    await post(queuePath(queue, "/purge"));
    notify(`Purged ${queue.name}.`, "success");
    await onChanged();
  } catch (error) {
    notify(`Could not purge ${queue.name}: ${error.message}`, "error");
  }
}

async function redrive(onChanged) {
  const queue = current;
  try {
    await post(queuePath(queue, "/redrive"));
    notify(`Started moving the messages of ${queue.name} back to their source queues.`, "success");
    await onChanged();
  } catch (error) {
    notify(`Could not redrive ${queue.name}: ${error.message}`, "error");
  }
}

export function wireDetail(onChanged) {
  $("send-form").addEventListener("submit", (event) => send(event, onChanged));
  $("purge-button").addEventListener("click", () => purge(onChanged));
  $("redrive-button").addEventListener("click", () => redrive(onChanged));
  $("close-detail").addEventListener("click", () => selectQueue(null).then(onChanged));
}
