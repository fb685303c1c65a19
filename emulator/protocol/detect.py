"""Which service, protocol and operation a request is for, and who sent it.

The service comes from the SigV4 credential scope, then the query ``Version``, then the path, as
the design notes describe. Nothing here reads a body beyond what it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

SQS_VERSION = "2012-11-05"
SNS_VERSION = "2010-03-31"
STS_VERSION = "2011-06-15"
SQS_TARGET_PREFIX = "AmazonSQS."

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")
_QUEUE_PATH = re.compile(r"^/([^/]+)/([^/]+)/?$")
_ACCOUNT_KEY = re.compile(r"^\d{12}$")
# The actions of the SubscribeURL and UnsubscribeURL that SNS hands out: plain GETs, without a
# Version or a signature, and names no other service uses.
SNS_URL_ACTIONS = frozenset({"ConfirmSubscription", "Unsubscribe"})


@dataclass(frozen=True)
class Credential:
    access_key_id: str | None = None
    region: str | None = None
    service: str | None = None

    @property
    def account_id(self) -> str | None:
        """A 12-digit access key id names the account."""
        key = self.access_key_id
        return key if key and _ACCOUNT_KEY.match(key) else None


def credential(authorization: str | None, query_credential: str | None) -> Credential:
    text = authorization or ""
    if query_credential and not text:
        text = "Credential=" + unquote(query_credential)
    match = _CREDENTIAL.search(text)
    if not match:
        return Credential()
    return Credential(match.group(1), match.group(3), match.group(4))


def query_service(cred: Credential, params: dict[str, str], path: str) -> str | None:
    if cred.service in {"sqs", "sns", "sts"}:
        return cred.service
    version = params.get("Version")
    if version == SQS_VERSION:
        return "sqs"
    if version == SNS_VERSION:
        return "sns"
    if version == STS_VERSION:
        return "sts"
    if version is None and params.get("Action") in SNS_URL_ACTIONS:
        return "sns"
    if _QUEUE_PATH.match(path):
        return "sqs"
    return None


def queue_path(path: str) -> bool:
    return _QUEUE_PATH.match(path) is not None
