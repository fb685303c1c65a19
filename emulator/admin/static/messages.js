// The peeked messages of the selected queue: state, body, attributes, receive count.
// Peeking hands out no receipt handle, so nothing here can delete or hide a message.

import { formatSeconds, formatTime, h, shortArn } from "./dom.js";

const PREVIEW_CHARACTERS = 160;
const STATE_LABELS = { visible: "Visible", inFlight: "In flight", delayed: "Delayed" };
const expandedBodies = new Set();

function stateCell(message, now) {
  const wait = message.visibleAt === null ? null
    : h("div", { class: "muted small" }, `visible in ${formatSeconds((message.visibleAt - now) / 1000)}`);
  return h("td", {},
    h("span", { class: `state state-${message.state}` }, STATE_LABELS[message.state] || message.state),
    wait);
}

function bodyCell(message) {
  const body = message.body;
  if (body.length <= PREVIEW_CHARACTERS && !body.includes("\n")) {
    return h("td", { class: "body" }, h("code", {}, body));
  }
  const preview = body.slice(0, PREVIEW_CHARACTERS).replace(/\s+/g, " ");
  const details = h("details", { open: expandedBodies.has(message.messageId) },
    h("summary", {}, h("code", {}, `${preview}…`),
      h("span", { class: "muted small" }, ` (${body.length} characters)`)),
    h("pre", {}, body));
  details.addEventListener("toggle", () => {
    if (details.open) expandedBodies.add(message.messageId);
    else expandedBodies.delete(message.messageId);
  });
  return h("td", { class: "body" }, details);
}

function attributeValue(attribute) {
  if (attribute.StringValue !== undefined) return attribute.StringValue;
  return attribute.BinaryValue ?? "";
}

function attributeType(attribute) {
  return attribute.BinaryValue !== undefined ? `${attribute.DataType}, base64` : attribute.DataType;
}

function attributesCell(message) {
  const entries = Object.entries(message.messageAttributes);
  if (entries.length === 0) return h("td", { class: "muted" }, "—");
  return h("td", { class: "attributes" }, h("dl", { class: "attributes" }, entries.map(([name, attribute]) => [
    h("dt", {}, name),
    h("dd", {}, attributeValue(attribute), " ",
      h("span", { class: "muted small" }, `(${attributeType(attribute)})`)),
  ])));
}

function messageCell(message, fifo) {
  const lines = [
    h("div", { class: "mono small", title: message.messageId }, message.messageId),
    h("div", { class: "muted small" }, `sent ${formatTime(message.sentTimestamp)}`),
  ];
  if (fifo) {
    lines.push(h("div", { class: "small" }, "group ", h("code", {}, message.messageGroupId)));
    if (message.messageDeduplicationId) {
      lines.push(h("div", { class: "small clip", title: message.messageDeduplicationId },
        "dedup ", h("code", {}, message.messageDeduplicationId)));
    }
  }
  if (message.deadLetterQueueSourceArn) {
    lines.push(h("div", { class: "small" }, `from ${shortArn(message.deadLetterQueueSourceArn)}`));
  }
  return h("td", { class: "message" }, lines);
}

export function renderMessages(peeked) {
  const table = document.getElementById("messages");
  const empty = document.getElementById("messages-empty");
  const { messages, now, queue } = peeked;
  empty.hidden = messages.length > 0;
  table.hidden = messages.length === 0;
  document.getElementById("messages-summary").textContent = peeked.truncated
    ? `(first ${messages.length})` : `(${messages.length})`;
  const rows = messages.map((message) => h("tr", { dataset: { messageId: message.messageId } },
    stateCell(message, now),
    messageCell(message, queue.fifo),
    bodyCell(message),
    attributesCell(message),
    h("td", { class: "num", dataset: { receives: "" } }, message.receiveCount)));
  table.querySelector("tbody").replaceChildren(...rows);
}
