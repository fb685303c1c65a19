"""Verifying AWS Signature Version 4, for the optional ``--auth sigv4`` mode.

``verify`` takes a request as it arrived (method, raw path, raw query string, headers, body) and
the configured signing keys, and either returns the key that signed it or raises the AwsError
AWS answers. Both forms are checked: the ``Authorization: AWS4-HMAC-SHA256 ...`` header, and the
presigned query string (``X-Amz-Algorithm``, ``X-Amz-Credential``, ``X-Amz-Date``,
``X-Amz-Expires``, ``X-Amz-SignedHeaders``, ``X-Amz-Signature``). The canonical request, string to
sign and signature are computed by botocore's signer, fed with the headers the client says it
signed; the payload hash is the body's SHA-256 unless the client sent ``X-Amz-Content-SHA256``
(``UNSIGNED-PAYLOAD`` or a hash, which must then match the body).

Errors, with the codes, statuses and texts SQS gives: no signature at all ->
``MissingAuthenticationToken`` (403); a malformed one -> ``IncompleteSignature`` (400); an unknown
access key -> ``InvalidClientTokenId`` (403); a wrong signature, or a timestamp more than 15 minutes
off the server's clock -> ``SignatureDoesNotMatch`` (403); a presigned URL past its
``X-Amz-Expires`` -> ``RequestExpired`` (400).
"""

from __future__ import annotations

import configparser
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

from emulator.errors import AwsError

ALGORITHM = "AWS4-HMAC-SHA256"
# JSON 1.0 answers name these errors by the framework's exception types; the query code travels
# in the x-amzn-query-error header as for every other error.
CORAL = "com.amazon.coral.service#"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
CLOCK_SKEW = timedelta(minutes=15)
MAX_PRESIGNED_EXPIRES = 604800  # seven days, as for every SigV4 presigned URL
_AMZ_DATE = "%Y%m%dT%H%M%SZ"
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_HEX_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_QUERY_AUTH = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders",
               "X-Amz-Signature")


@dataclass(frozen=True)
class SigningKey:
    """One configured credential: who may sign, with which secret, in which account."""

    access_key_id: str
    secret_access_key: str
    account_id: str | None = None


SigningKeys = Mapping[str, SigningKey]


# -- errors ----------------------------------------------------------------------------------


def missing_authentication_token() -> AwsError:
    return AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403,
                    json_type=f"{CORAL}MissingAuthenticationTokenException")


def incomplete_signature(message: str) -> AwsError:
    return AwsError("IncompleteSignature", message, 400,
                    json_type=f"{CORAL}IncompleteSignatureException")


def invalid_client_token_id() -> AwsError:
    return AwsError(
        "InvalidClientTokenId", "The security token included in the request is invalid.", 403,
        json_type=f"{CORAL}UnrecognizedClientException",
    )


def signature_does_not_match(message: str) -> AwsError:
    return AwsError("SignatureDoesNotMatch", message, 403,
                    json_type=f"{CORAL}InvalidSignatureException")


def request_expired(message: str) -> AwsError:
    return AwsError("RequestExpired", message, 400, json_type=f"{CORAL}RequestExpired")


_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details."
)


# -- credentials file ------------------------------------------------------------------------


def parse_credentials(text: str) -> dict[str, SigningKey]:
    """Signing keys from a JSON or INI document.

    JSON: ``{"<access key id>": {"secret_access_key": "...", "account_id": "123456789012"}}``.
    INI: one section per key, in the layout of ``~/.aws/credentials`` plus an optional
    ``account_id``: ``[name]`` / ``aws_access_key_id = ...`` / ``aws_secret_access_key = ...``.
    Raises ValueError for anything else.
    """
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return _from_json(stripped)
    return _from_ini(text)


def load_credentials(path: Path | None) -> dict[str, SigningKey]:
    """The signing keys in the file at ``path``; ValueError says what is wrong with it."""
    if path is None:
        raise ValueError("--auth sigv4 needs a credentials file (--credentials or KYU_CREDENTIALS)")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read the credentials file {path}: {exc}") from None
    try:
        keys = parse_credentials(text)
    except ValueError as exc:
        raise ValueError(f"the credentials file {path}: {exc}") from None
    if not keys:
        raise ValueError(f"the credentials file {path} holds no credentials")
    return keys


def _key(access_key_id: object, secret: object, account_id: object) -> SigningKey:
    if not isinstance(access_key_id, str) or not access_key_id:
        raise ValueError("every credential needs a non-empty access key id")
    if not isinstance(secret, str) or not secret:
        raise ValueError(f"credential {access_key_id} needs a secret access key")
    if account_id is not None and not (
        isinstance(account_id, str) and _ACCOUNT_ID.match(account_id)
    ):
        raise ValueError(f"credential {access_key_id}: account_id must be 12 digits")
    return SigningKey(access_key_id, secret, account_id)


def _from_json(text: str) -> dict[str, SigningKey]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise ValueError("the JSON document must be an object of access key ids")
    keys: dict[str, SigningKey] = {}
    for key_id, entry in document.items():
        if not isinstance(entry, dict):
            raise ValueError(f"credential {key_id} must be an object")
        keys[key_id] = _key(key_id, entry.get("secret_access_key"), entry.get("account_id"))
    return keys


def _from_ini(text: str) -> dict[str, SigningKey]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        raise ValueError(f"neither JSON nor INI: {exc}") from None
    keys: dict[str, SigningKey] = {}
    for name in parser.sections():
        section = parser[name]
        key = _key(section.get("aws_access_key_id"), section.get("aws_secret_access_key"),
                   section.get("account_id"))
        keys[key.access_key_id] = key
    return keys


# -- verification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Claim:
    """What the client says it signed."""

    credential: str
    signed_headers: list[str]
    signature: str
    amz_date: str
    presigned: bool
    expires: int | None = None


def _decode_query(query: str) -> list[tuple[str, str]]:
    pairs = []
    for part in query.split("&"):
        if part:
            key, _, value = part.partition("=")
            pairs.append((unquote(key), unquote(value)))
    return pairs


def _header_claim(authorization: str, headers: Mapping[str, str]) -> _Claim:
    algorithm, _, rest = authorization.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise incomplete_signature(f"Unsupported AWS 'algorithm': '{algorithm[:40]}'.")
    fields: dict[str, str] = {}
    for part in rest.split(","):
        name, _, value = part.strip().partition("=")
        fields.setdefault(name, value)
    missing = [
        f"Authorization header requires '{name}' parameter."
        for name in ("Credential", "Signature", "SignedHeaders")
        if not fields.get(name)
    ]
    amz_date = headers.get("x-amz-date") or _basic_date(headers.get("date"))
    if not amz_date:
        missing.append(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
            "header."
        )
    if missing:
        raise incomplete_signature(" ".join(missing) + f" Authorization={authorization[:200]}")
    return _Claim(fields["Credential"], fields["SignedHeaders"].split(";"),
                  fields["Signature"], amz_date or "", presigned=False)


def _basic_date(http_date: str | None) -> str | None:
    """An RFC 1123 ``Date`` header in the ISO-8601 basic form SigV4 signs."""
    if not http_date:
        return None
    try:
        parsed = parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return http_date  # reported as a malformed date below
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime(_AMZ_DATE)


def _query_claim(params: Mapping[str, str]) -> _Claim:
    if params.get("X-Amz-Algorithm") != ALGORITHM:
        raise incomplete_signature(
            f"Unsupported AWS 'algorithm': '{params.get('X-Amz-Algorithm', '')[:40]}'."
        )
    for name in _QUERY_AUTH:
        if not params.get(name):
            raise incomplete_signature(
                f"AWS query-string parameters must include '{name}'. "
                "Re-examine the query-string parameters."
            )
    expires = None
    if "X-Amz-Expires" in params:
        text = params["X-Amz-Expires"]
        if not text.isdigit() or not 1 <= int(text) <= MAX_PRESIGNED_EXPIRES:
            raise incomplete_signature(
                f"X-Amz-Expires must be an integer from 1 to {MAX_PRESIGNED_EXPIRES}; "
                f"got '{text[:20]}'."
            )
        expires = int(text)
    return _Claim(params["X-Amz-Credential"], params["X-Amz-SignedHeaders"].split(";"),
                  params["X-Amz-Signature"], params["X-Amz-Date"], presigned=True,
                  expires=expires)


def _check_time(claim: _Claim, now: datetime) -> None:
    try:
        signed_at = datetime.strptime(claim.amz_date, _AMZ_DATE).replace(tzinfo=UTC)
    except ValueError:
        raise incomplete_signature(
            f"Date must be in ISO-8601 'basic format'. Got '{claim.amz_date[:40]}'. "
            "See http://en.wikipedia.org/wiki/ISO_8601"
        ) from None
    stamp = now.strftime(_AMZ_DATE)
    if claim.presigned and claim.expires is not None:
        if now > signed_at + timedelta(seconds=claim.expires):
            raise request_expired("Request has expired.")
    elif signed_at < now - CLOCK_SKEW:
        earliest = (now - CLOCK_SKEW).strftime(_AMZ_DATE)
        raise signature_does_not_match(
            f"Signature expired: {claim.amz_date} is now earlier than {earliest} "
            f"({stamp} - 15 min.)"
        )
    if signed_at > now + CLOCK_SKEW:
        latest = (now + CLOCK_SKEW).strftime(_AMZ_DATE)
        raise signature_does_not_match(
            f"Signature not yet current: {claim.amz_date} is still later than {latest} "
            f"({stamp} + 15 min.)"
        )


class _Signer(SigV4Auth):
    """botocore's SigV4 signer, told which headers the client signed instead of choosing."""

    def __init__(self, key: SigningKey, region: str, service: str,
                 signed: Mapping[str, str]) -> None:
        super().__init__(Credentials(key.access_key_id, key.secret_access_key), service, region)
        self._signed = signed

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        chosen = HTTPHeaders()
        for name, value in self._signed.items():
            chosen[name] = value
        return chosen


def verify(
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    credentials: SigningKeys,
    *,
    now: datetime,
) -> SigningKey:
    """The key that signed this request, or the AwsError AWS answers.

    ``path`` and ``query`` are as sent (still percent-encoded); ``headers`` has lower-case names,
    repeated headers joined with commas.
    """
    params = _decode_query(query)
    query_params = dict(reversed(params))  # the first occurrence wins
    authorization = headers.get("authorization")
    if authorization:
        claim = _header_claim(authorization, headers)
    elif "X-Amz-Algorithm" in query_params or "X-Amz-Signature" in query_params:
        claim = _query_claim(query_params)
    else:
        raise missing_authentication_token()
    scope = claim.credential.split("/")
    if len(scope) != 5 or scope[4] != "aws4_request" or not all(scope):
        raise incomplete_signature(
            "Credential must have exactly 5 slash-delimited elements, e.g. "
            f"keyid/date/region/service/term, got '{claim.credential[:200]}'"
        )
    key_id, scope_date, region, service, _ = scope
    names = sorted({name.strip().lower() for name in claim.signed_headers if name.strip()})
    if "host" not in names:
        raise incomplete_signature(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
        )
    key = credentials.get(key_id)
    if key is None:
        raise invalid_client_token_id()
    _check_time(claim, now)
    if scope_date != claim.amz_date[:8]:
        raise signature_does_not_match(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
            f"HTTP: '{scope_date}' != '{claim.amz_date[:8]}', from '{claim.amz_date}'."
        )
    payload = _payload_hash(headers.get("x-amz-content-sha256"), body)
    signed = {name: headers.get(name, "") for name in names}
    signer = _Signer(key, region, service, signed)
    canonical_params = [(k, v) for k, v in params if k != "X-Amz-Signature"]
    request = AWSRequest(method=method.upper(), url=f"http://kyu{path or '/'}", data=body,
                         headers={"X-Amz-Content-SHA256": payload})
    request.params = canonical_params
    request.context["timestamp"] = claim.amz_date
    canonical = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical)
    expected = signer.signature(string_to_sign, request)
    if not hmac.compare_digest(expected, claim.signature.strip()):
        raise signature_does_not_match(
            f"{_MISMATCH}\n\nThe Canonical String for this request should have been\n"
            f"'{canonical}'\n\nThe String-to-Sign should have been\n'{string_to_sign}'\n"
        )
    return key


def _payload_hash(declared: str | None, body: bytes) -> str:
    actual = hashlib.sha256(body).hexdigest()
    if declared is None:
        return actual
    declared = declared.strip()
    if declared == UNSIGNED_PAYLOAD:
        return declared
    if not _HEX_SHA256.match(declared) or declared != actual:
        raise signature_does_not_match(
            "The provided 'x-amz-content-sha256' header does not match what was computed."
        )
    return declared
