"""HTTP/S delivery policies: validate a DeliveryPolicy, merge topic and subscription, plan retries.

AWS's rules (Amazon SNS developer guide, "Amazon SNS message delivery retries" and "Creating an
HTTP/S delivery policy"): ``minDelayTarget`` 1 to ``maxDelayTarget``, ``maxDelayTarget`` up to
3,600, ``numRetries`` 0 to 100 counting every phase, the phase counts 0 or more and together at
most ``numRetries``, ``maxReceivesPerSecond`` 1 or more, and the whole retry schedule at most
3,600 seconds. Without a policy SNS retries 3 times, 20 seconds apart (linear, 20 to 20).

A topic's policy sits under ``http`` (``defaultHealthyRetryPolicy``, ``defaultThrottlePolicy``,
``defaultRequestPolicy``, ``disableSubscriptionOverrides``); a subscription's has
``healthyRetryPolicy``, ``throttlePolicy``, ``requestPolicy``. A subscription section replaces the
topic's section of the same kind unless the topic disables subscription overrides; a missing retry
field takes AWS's default. SNS stores a subscription policy with every retry field (``null`` when
not given), ``sicklyRetryPolicy``, ``throttlePolicy``, ``requestPolicy`` and ``guaranteed``; the
normalized text returned by ``check_delivery_policy`` follows that shape.

AWS publishes the four backoff curves only as a graph. Here each runs from ``minDelayTarget`` at
the first backoff retry to ``maxDelayTarget`` at the last: linear steps evenly, arithmetic steps
grow by a constant amount, exponential steps double, geometric delays keep a constant ratio.
SNS also jitters its retries; Kyu does not, so schedules are reproducible.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_RETRIES = 100
MAX_DELAY_TARGET = 3600
MAX_TOTAL_RETRY_SECONDS = 3600
BACKOFF_FUNCTIONS = ("arithmetic", "exponential", "geometric", "linear")
DEFAULT_CONTENT_TYPE = "text/plain; charset=UTF-8"
# The media types the developer guide lists for headerContentType; each may carry charset=UTF-8.
CONTENT_TYPES = frozenset({
    "application/atom+xml", "application/json", "application/octet-stream",
    "application/soap+xml", "application/x-www-form-urlencoded", "application/xhtml+xml",
    "application/xml", "text/css", "text/csv", "text/html", "text/markdown", "text/plain",
    "text/xml",
})
# AWS's key order in stored and effective policies.
RETRY_FIELDS = (
    "minDelayTarget", "maxDelayTarget", "numRetries",
    "numMaxDelayRetries", "numNoDelayRetries", "numMinDelayRetries", "backoffFunction",
)
DEFAULT_RETRY_POLICY: dict[str, Any] = {
    "minDelayTarget": 20, "maxDelayTarget": 20, "numRetries": 3,
    "numMaxDelayRetries": 0, "numNoDelayRetries": 0, "numMinDelayRetries": 0,
    "backoffFunction": "linear",
}
SUBSCRIPTION_SECTIONS = ("healthyRetryPolicy", "sicklyRetryPolicy", "throttlePolicy",
                         "requestPolicy", "guaranteed")
TOPIC_SECTIONS = ("defaultHealthyRetryPolicy", "defaultSicklyRetryPolicy",
                  "disableSubscriptionOverrides", "defaultThrottlePolicy", "defaultRequestPolicy")
SCOPES = ("topic", "subscription")


class DeliveryPolicyError(ValueError):
    """A DeliveryPolicy AWS rejects with InvalidParameter (HTTP 400).

    ``reason`` is AWS's text after ``DeliveryPolicy: ``; ``message`` is the whole text that
    SetTopicAttributes and SetSubscriptionAttributes return; ``aws_message(in_subscribe=True)``
    is the form Subscribe returns for its ``Attributes``.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.message = self.aws_message()
        super().__init__(self.message)

    def aws_message(self, *, in_subscribe: bool = False) -> str:
        head = "Invalid parameter: Attributes Reason: " if in_subscribe else "Invalid parameter: "
        return f"{head}DeliveryPolicy: {self.reason}"


def check_delivery_policy(text: str, *, scope: str) -> str:
    """Validate a topic's or subscription's DeliveryPolicy; return it as AWS stores it."""
    if scope not in SCOPES:
        raise ValueError(f"unknown delivery policy scope: {scope}")
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise DeliveryPolicyError("Invalid JSON") from None
    if not isinstance(document, dict):
        raise DeliveryPolicyError("Invalid JSON")
    normalized = _topic_policy(document) if scope == "topic" else _subscription_policy(document)
    return json.dumps(normalized, separators=(",", ":"), ensure_ascii=False)


def _topic_policy(document: dict[str, Any]) -> dict[str, Any]:
    _reject_unknown(document, ("http",), "")
    if "http" not in document:
        return {}
    http = document["http"]
    if not isinstance(http, dict):
        raise DeliveryPolicyError("http must be an object")
    _reject_unknown(http, TOPIC_SECTIONS, "http.")
    out: dict[str, Any] = {}
    for key in ("defaultHealthyRetryPolicy", "defaultSicklyRetryPolicy"):
        if http.get(key) is not None:
            out[key] = _retry_policy(http[key], f"http.{key}")
    overrides = http.get("disableSubscriptionOverrides", False)
    if not isinstance(overrides, bool):
        raise DeliveryPolicyError("http.disableSubscriptionOverrides must be a boolean")
    out["disableSubscriptionOverrides"] = overrides
    if http.get("defaultThrottlePolicy") is not None:
        out["defaultThrottlePolicy"] = _throttle_policy(
            http["defaultThrottlePolicy"], "http.defaultThrottlePolicy")
    if http.get("defaultRequestPolicy") is not None:
        out["defaultRequestPolicy"] = _request_policy(
            http["defaultRequestPolicy"], "http.defaultRequestPolicy")
    return {"http": out}


def _subscription_policy(document: dict[str, Any]) -> dict[str, Any]:
    _reject_unknown(document, SUBSCRIPTION_SECTIONS, "")
    out: dict[str, Any] = {}
    for key in ("healthyRetryPolicy", "sicklyRetryPolicy"):
        value = document.get(key)
        out[key] = None if value is None else _retry_policy(value, key)
    throttle = document.get("throttlePolicy")
    out["throttlePolicy"] = (
        None if throttle is None else _throttle_policy(throttle, "throttlePolicy"))
    request = document.get("requestPolicy")
    out["requestPolicy"] = None if request is None else _request_policy(request, "requestPolicy")
    guaranteed = document.get("guaranteed", False)
    if not isinstance(guaranteed, bool):
        raise DeliveryPolicyError("guaranteed must be a boolean")
    out["guaranteed"] = guaranteed
    return out


def _reject_unknown(section: dict[str, Any], known: tuple[str, ...], path: str) -> None:
    for key in section:
        if key not in known:
            raise DeliveryPolicyError(f"{path}{key} is not a recognized field")


def _retry_policy(section: Any, path: str) -> dict[str, Any]:
    if not isinstance(section, dict):
        raise DeliveryPolicyError(f"{path} must be an object")
    _reject_unknown(section, RETRY_FIELDS, f"{path}.")
    given: dict[str, Any] = {field: section.get(field) for field in RETRY_FIELDS}
    for field in RETRY_FIELDS[:-1]:
        if given[field] is not None:
            _require_integer(given[field], f"{path}.{field}")
    backoff = given["backoffFunction"]
    if backoff is not None and backoff not in BACKOFF_FUNCTIONS:
        raise DeliveryPolicyError(
            f"{path}.backoffFunction: {backoff} is not a valid backoff function")
    policy = _with_defaults(given)
    _check_bounds(policy, path)
    if sum(retry_delays({"healthyRetryPolicy": policy})) > MAX_TOTAL_RETRY_SECONDS:
        raise DeliveryPolicyError(
            f"{path}: Total policy retry time cannot be greater than "
            f"{MAX_TOTAL_RETRY_SECONDS} seconds"
        )
    return given


def _require_integer(value: Any, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DeliveryPolicyError(f"{name} must be an integer")


def _check_bounds(policy: dict[str, Any], path: str) -> None:
    lower_bounds = (("minDelayTarget", 1), ("maxDelayTarget", 1), ("numRetries", 0),
                    ("numNoDelayRetries", 0), ("numMinDelayRetries", 0), ("numMaxDelayRetries", 0))
    for field, lowest in lower_bounds:
        if policy[field] < lowest:
            raise DeliveryPolicyError(f"{path}.{field} must be greater than or equal to {lowest}")
    for field, highest in (("maxDelayTarget", MAX_DELAY_TARGET), ("numRetries", MAX_RETRIES)):
        if policy[field] > highest:
            raise DeliveryPolicyError(f"{path}.{field} must be less than or equal to {highest}")
    if policy["minDelayTarget"] > policy["maxDelayTarget"]:
        raise DeliveryPolicyError(
            f"{path}.maxDelayTarget must be greater than or equal to minDelayTarget")
    phases = (policy["numNoDelayRetries"] + policy["numMinDelayRetries"]
              + policy["numMaxDelayRetries"])
    if policy["numRetries"] < phases:
        raise DeliveryPolicyError(
            f"{path}.numRetries must be greater than or equal to total of numMinDelayRetries, "
            "numNoDelayRetries and numMaxDelayRetries"
        )


def _throttle_policy(section: Any, path: str) -> dict[str, Any]:
    if not isinstance(section, dict):
        raise DeliveryPolicyError(f"{path} must be an object")
    _reject_unknown(section, ("maxReceivesPerSecond",), f"{path}.")
    rate = section.get("maxReceivesPerSecond")
    if rate is None:
        return {}
    _require_integer(rate, f"{path}.maxReceivesPerSecond")
    if rate < 1:
        raise DeliveryPolicyError(f"{path}.maxReceivesPerSecond must be greater than or equal to 1")
    return {"maxReceivesPerSecond": rate}


def _request_policy(section: Any, path: str) -> dict[str, Any]:
    if not isinstance(section, dict):
        raise DeliveryPolicyError(f"{path} must be an object")
    _reject_unknown(section, ("headerContentType",), f"{path}.")
    content_type = section.get("headerContentType")
    if content_type is None:
        return {}
    if not isinstance(content_type, str) or not _supported_content_type(content_type):
        raise DeliveryPolicyError(
            f"{path}.headerContentType: {content_type} is not a supported content type")
    return {"headerContentType": content_type}


def _supported_content_type(value: str) -> bool:
    media_type, _, parameters = value.partition(";")
    if media_type.strip().lower() not in CONTENT_TYPES:
        return False
    if not parameters:
        return True
    name, _, charset = parameters.strip().partition("=")
    return name.strip().lower() == "charset" and charset.strip().upper() == "UTF-8"


def _with_defaults(retry: dict[str, Any] | None) -> dict[str, Any]:
    given = retry or {}
    return {field: DEFAULT_RETRY_POLICY[field] if given.get(field) is None else given[field]
            for field in RETRY_FIELDS}


def effective_delivery_policy(
    topic_policy: str | None, subscription_policy: str | None
) -> dict[str, Any]:
    """The HTTP/S policy SNS applies to a subscription, in the subscription's form.

    Both texts are as ``check_delivery_policy`` returned them (or as the user set them: they are
    parsed leniently here, since they were validated when set). ``healthyRetryPolicy`` carries
    every field; ``throttlePolicy`` is None without a rate limit.
    """
    topic = _loads(topic_policy).get("http") or {}
    subscription = _loads(subscription_policy)
    retry = topic.get("defaultHealthyRetryPolicy")
    throttle = topic.get("defaultThrottlePolicy")
    request = topic.get("defaultRequestPolicy")
    if not topic.get("disableSubscriptionOverrides", False):
        retry = subscription.get("healthyRetryPolicy") or retry
        throttle = subscription.get("throttlePolicy") or throttle
        request = subscription.get("requestPolicy") or request
    rate = (throttle or {}).get("maxReceivesPerSecond")
    content_type = (request or {}).get("headerContentType") or DEFAULT_CONTENT_TYPE
    return {
        "healthyRetryPolicy": _with_defaults(retry),
        "sicklyRetryPolicy": None,
        "throttlePolicy": None if rate is None else {"maxReceivesPerSecond": rate},
        "requestPolicy": {"headerContentType": content_type},
        "guaranteed": bool(subscription.get("guaranteed", False)),
    }


def effective_topic_delivery_policy(topic_policy: str | None) -> str:
    """A topic's EffectiveDeliveryPolicy attribute: its http policy over AWS's defaults."""
    topic = _loads(topic_policy).get("http") or {}
    http: dict[str, Any] = {
        "defaultHealthyRetryPolicy": _with_defaults(topic.get("defaultHealthyRetryPolicy")),
        "disableSubscriptionOverrides": bool(topic.get("disableSubscriptionOverrides", False)),
    }
    if topic.get("defaultThrottlePolicy"):
        http["defaultThrottlePolicy"] = topic["defaultThrottlePolicy"]
    request = topic.get("defaultRequestPolicy") or {}
    http["defaultRequestPolicy"] = {
        "headerContentType": request.get("headerContentType") or DEFAULT_CONTENT_TYPE}
    return json.dumps({"http": http}, separators=(",", ":"), ensure_ascii=False)


def effective_subscription_delivery_policy(
    topic_policy: str | None, subscription_policy: str | None
) -> str:
    """A subscription's EffectiveDeliveryPolicy attribute (HTTP/S subscriptions)."""
    policy = effective_delivery_policy(topic_policy, subscription_policy)
    return json.dumps(policy, separators=(",", ":"), ensure_ascii=False)


def _loads(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def retry_delays(policy: dict[str, Any]) -> list[float]:
    """Seconds to wait before each retry: immediate, pre-backoff, backoff, post-backoff.

    ``policy`` is an effective policy (or just its ``healthyRetryPolicy``); missing fields take
    AWS's defaults. The backoff phase gets whatever the other phases leave of ``numRetries``.
    """
    retry = _with_defaults(policy.get("healthyRetryPolicy", policy))
    low, high = float(retry["minDelayTarget"]), float(retry["maxDelayTarget"])
    total = retry["numRetries"]
    immediate = min(retry["numNoDelayRetries"], total)
    pre = min(retry["numMinDelayRetries"], total - immediate)
    post = min(retry["numMaxDelayRetries"], total - immediate - pre)
    backoff = total - immediate - pre - post
    return ([0.0] * immediate + [low] * pre
            + _backoff(low, high, backoff, retry["backoffFunction"]) + [high] * post)


def _backoff(low: float, high: float, count: int, function: str) -> list[float]:
    if count <= 0:
        return []
    if count == 1 or low == high:
        return [low] * count
    steps = count - 1
    delays = []
    for i in range(count):
        if function == "geometric":
            delay = low * math.pow(high / low, i / steps)
        else:
            delay = low + (high - low) * _progress(function, i, steps)
        delays.append(round(delay, 3))
    return delays


def _progress(function: str, i: int, steps: int) -> float:
    """How far along from the minimum to the maximum delay the i-th backoff retry is (0 to 1)."""
    if function == "arithmetic":
        return (i * (i + 1)) / (steps * (steps + 1))
    if function == "exponential":
        return (2.0 ** i - 1) / (2.0 ** steps - 1)
    return i / steps
