// Topics with their subscriptions and filter policies, from GET /_kyu/topics when SNS is there.

import { get } from "./api.js";
import { h, replaceKeepingFocus } from "./dom.js";

function compactJson(value) {
  if (Array.isArray(value)) return `[${value.map(compactJson).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const members = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${compactJson(item)}`);
    return `{${members.join(", ")}}`;
  }
  return JSON.stringify(value);
}

// One line per top-level key: policies are short lists of values under a few keys.
function policyText(policy) {
  if (policy === null || typeof policy !== "object" || Array.isArray(policy)) return compactJson(policy);
  const lines = Object.entries(policy).map(([key, value]) => `  ${JSON.stringify(key)}: ${compactJson(value)}`);
  return lines.length ? `{\n${lines.join(",\n")}\n}` : "{}";
}

function filterPolicyCell(subscription) {
  if (!subscription.filterPolicy) return h("td", { class: "muted" }, "none");
  // Kyu answers the policy as a JSON object, or as the stored text where that is not JSON.
  const policy = subscription.filterPolicy;
  const text = typeof policy === "string" ? policy : policyText(policy);
  return h("td", {},
    h("div", { class: "muted small" }, `on ${subscription.filterPolicyScope || "MessageAttributes"}`),
    h("pre", { class: "policy" }, text));
}

function subscriptionRow(subscription) {
  const flags = [];
  if (subscription.rawMessageDelivery) flags.push(h("span", { class: "tag" }, "raw"));
  if (subscription.pendingConfirmation) flags.push(h("span", { class: "tag tag-warn" }, "pending"));
  return h("tr", { dataset: subscription.arn ? { subscription: subscription.arn } : null },
    h("td", {}, subscription.protocol),
    h("td", { class: "endpoint" }, h("code", {}, subscription.endpoint), " ", flags),
    filterPolicyCell(subscription));
}

function topicCard(topic) {
  const subscriptions = topic.subscriptions;
  return h("article", { class: "topic", dataset: { topic: topic.name } },
    h("h3", {}, topic.name, " ",
      topic.fifo ? h("span", { class: "tag tag-fifo" }, "FIFO") : null),
    h("p", { class: "muted small" }, `${topic.account} · ${topic.region} · `, h("code", {}, topic.arn)),
    subscriptions.length === 0
      ? h("p", { class: "empty" }, "No subscriptions.")
      : h("div", { class: "table-wrap" }, h("table", { class: "subscriptions" },
        h("caption", { class: "visually-hidden" }, `Subscriptions of ${topic.name}`),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, "Protocol"),
          h("th", { scope: "col" }, "Endpoint"),
          h("th", { scope: "col" }, "Filter policy"))),
        h("tbody", {}, subscriptions.map(subscriptionRow)))));
}

// Without SNS the listing is asked for less often: each miss is an error in the browser console.
const RECHECK_UNAVAILABLE_MS = 30000;
let unavailableSince = null;

export async function refreshTopics() {
  const area = document.getElementById("topics");
  if (unavailableSince !== null && Date.now() - unavailableSince < RECHECK_UNAVAILABLE_MS) return;
  let listing;
  try {
    listing = await get("/_kyu/topics");
  } catch (error) {
    if (error.status === 0 || error.status >= 500) throw error;  // unreachable or broken, not absent
    unavailableSince = Date.now();
    area.dataset.available = "false";
    replaceKeepingFocus(area, h("p", { class: "empty" },
      "SNS not available: this Kyu does not list topics."));
    return;
  }
  unavailableSince = null;
  area.dataset.available = "true";
  replaceKeepingFocus(area, listing.topics.length === 0
    ? h("p", { class: "empty" }, "No topics yet.")
    : listing.topics.map(topicCard));
}
