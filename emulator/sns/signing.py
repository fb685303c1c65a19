"""Signing what SNS delivers, so that a subscriber can verify it as it would on AWS.

One RSA key and a self-signed certificate per data file (generated at first start and kept in the
database). SignatureVersion 1 signs the canonical string with SHA1withRSA, version 2 with
SHA256withRSA (PKCS#1 v1.5), base64-encoded. The certificate is served as PEM at the URL that
every signed message names in SigningCertURL.
"""

from __future__ import annotations

import base64
import datetime
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

KEY_BITS = 2048
CERT_DAYS = 3650
CERT_PATH_PREFIX = "/_kyu/sns/"
_HASHES = {"1": hashes.SHA1, "2": hashes.SHA256}


def generate_key_pair(now: datetime.datetime) -> tuple[str, str]:
    """A new (private key PEM, self-signed certificate PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.kyu.local")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=CERT_DAYS))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


class Signer:
    def __init__(self, key_pem: str, certificate_pem: str) -> None:
        key = serialization.load_pem_private_key(key_pem.encode("ascii"), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the SNS signing key must be an RSA key")
        self._key = key
        self.certificate_pem = certificate_pem
        digest = hashlib.md5(certificate_pem.encode("ascii"), usedforsecurity=False).hexdigest()
        self.certificate_name = f"SimpleNotificationService-{digest}.pem"

    def certificate_url(self, base_url: str) -> str:
        return f"{base_url}{CERT_PATH_PREFIX}{self.certificate_name}"

    def sign(self, text: str, version: str) -> str:
        algorithm = _HASHES.get(version, hashes.SHA1)()
        signature = self._key.sign(text.encode("utf-8"), padding.PKCS1v15(), algorithm)
        return base64.b64encode(signature).decode("ascii")


def verify(certificate_pem: str, text: str, signature: str, version: str) -> bool:
    """Whether ``signature`` signs ``text`` under the certificate's key (for tests and users)."""
    from cryptography.exceptions import InvalidSignature

    public_key = x509.load_pem_x509_certificate(certificate_pem.encode("ascii")).public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        return False
    try:
        public_key.verify(base64.b64decode(signature), text.encode("utf-8"), padding.PKCS1v15(),
                          _HASHES.get(version, hashes.SHA1)())
    except InvalidSignature:
        return False
    return True
