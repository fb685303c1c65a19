// The queue list: one table, grouped by account and region, with each queue's live counts.

import { h, replaceKeepingFocus, shortArn } from "./dom.js";

export const queueKey = (queue) => `${queue.account}/${queue.region}/${queue.name}`;

function groups(queues) {
  const byPlace = new Map();
  for (const queue of queues) {
    const place = `${queue.account} · ${queue.region}`;
    if (!byPlace.has(place)) byPlace.set(place, []);
    byPlace.get(place).push(queue);
  }
  return byPlace;
}

function deadLetterCell(queue) {
  const notes = [];
  if (queue.deadLetterSources.length > 0) {
    notes.push(h("span", { class: "tag tag-dlq" }, "DLQ"), " of ",
      queue.deadLetterSources.map((source) => source.name).join(", "));
  }
  if (queue.deadLetterTarget) {
    if (notes.length) notes.push(h("br"));
    const receives = queue.deadLetterTarget.maxReceiveCount;
    notes.push(`→ ${shortArn(queue.deadLetterTarget.arn)} after `
      + `${receives} receive${receives === 1 ? "" : "s"}`);
  }
  return h("td", { class: "dead-letter" }, notes.length ? notes : h("span", { class: "muted" }, "—"));
}

function countCell(name, value) {
  return h("td", { class: value > 0 ? "num" : "num zero", dataset: { count: name } }, value);
}

function row(queue, selectedKey, onSelect) {
  const key = queueKey(queue);
  const selected = key === selectedKey;
  return h("tr", { class: selected ? "selected" : null, dataset: { queue: queue.name, key } },
    h("th", { scope: "row" },
      h("button", {
        type: "button", class: "link", "aria-pressed": String(selected),
        dataset: { focusKey: key }, onclick: () => onSelect(queue),
      }, queue.name)),
    h("td", {}, queue.fifo ? h("span", { class: "tag tag-fifo" }, "FIFO") : "Standard"),
    countCell("visible", queue.counts.visible),
    countCell("inFlight", queue.counts.inFlight),
    countCell("delayed", queue.counts.delayed),
    deadLetterCell(queue));
}

export function renderQueues(queues, selectedKey, onSelect) {
  const table = document.getElementById("queues");
  const empty = document.getElementById("queues-empty");
  empty.hidden = queues.length > 0;
  table.hidden = queues.length === 0;
  const bodies = [];
  for (const [place, members] of groups(queues)) {
    bodies.push(h("tbody", {},
      h("tr", { class: "group" }, h("th", { colspan: 6, scope: "rowgroup" }, place)),
      members.map((queue) => row(queue, selectedKey, onSelect))));
  }
  const head = table.querySelector("thead");
  replaceKeepingFocus(table, table.querySelector("caption"), head, bodies);
}
