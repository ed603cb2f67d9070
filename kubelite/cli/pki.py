"""The server's PKI and token in its data directory: a CA, a serving certificate, a bearer token.

`ensure_pki(directory, hosts)` returns the `PKI` (paths and PEM bytes) after making sure that:
- `ca.crt`/`ca.key` exist (created once, then kept: kubeconfigs already handed out trust it);
- `server.crt`/`server.key` exist, are signed by that CA, are not within a day of expiring and carry
  exactly the subject alternative names `hosts` asks for (IP addresses become IP SANs, the rest DNS
  SANs); otherwise a new serving certificate is issued, under the same CA.
`ensure_token(directory)` returns the bearer token in `token`, generating it once.
Every file is written 0600 (the directory 0700), whole: into a temporary file, then renamed, so a
crash leaves the old file or the new one, never half of one. Keys are ECDSA P-256, as kubeadm uses
for new clusters; certificates are valid 10 years (CA) and 1 year (serving).
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import secrets
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
SERVING_DAYS = 365
RENEW_BEFORE = datetime.timedelta(days=1)
TOKEN_BYTES = 32


@dataclass(frozen=True, slots=True)
class PKI:
    ca_cert: Path
    server_cert: Path
    server_key: Path

    @property
    def ca_pem(self) -> bytes:
        return self.ca_cert.read_bytes()


def default_hosts(listen_host: str = "") -> list[str]:
    """127.0.0.1, localhost, this host's name, and the listen host when it is a specific one."""
    hosts = ["127.0.0.1", "localhost", socket.gethostname()]
    if listen_host and listen_host not in ("0.0.0.0", "::") and listen_host not in hosts:
        hosts.append(listen_host)
    return hosts


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` with mode 0600, all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def ensure_token(directory: Path) -> str:
    path = directory / "token"
    if path.exists():
        token = path.read_text().strip()
        if token:
            return token
    token = secrets.token_urlsafe(TOKEN_BYTES)
    write_private(path, token.encode() + b"\n")
    return token


def ensure_pki(directory: Path, hosts: Sequence[str]) -> PKI:
    ca_cert, ca_key = _ensure_ca(directory)
    pki = PKI(directory / "ca.crt", directory / "server.crt", directory / "server.key")
    if not _serving_cert_fits(pki.server_cert, ca_cert, hosts):
        cert, key = _issue_serving(ca_cert, ca_key, hosts)
        write_private(pki.server_key, _key_pem(key))
        write_private(pki.server_cert, cert.public_bytes(serialization.Encoding.PEM))
    return pki


def server_ssl_context(pki: PKI) -> ssl.SSLContext:
    """TLS 1.2+ serving `server.crt`; ALPN offers only http/1.1 (no HTTP/2 is served)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(pki.server_cert, pki.server_key)
    context.set_alpn_protocols(["http/1.1"])
    return context


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _ensure_ca(directory: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert_path, key_path = directory / "ca.crt", directory / "ca.key"
    if cert_path.exists() and key_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{key_path}: not an ECDSA private key")
        return x509.load_pem_x509_certificate(cert_path.read_bytes()), key
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kubelite-ca")])
    cert = (
        _builder(name, name, key.public_key(), CA_DAYS)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    write_private(key_path, _key_pem(key))
    write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey, days: int
) -> x509.CertificateBuilder:
    now = _now()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
    )


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=not cert_sign,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _sans(hosts: Sequence[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in dict.fromkeys(hosts):
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


def _issue_serving(
    ca_cert: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey, hosts: Sequence[str]
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kubelite-apiserver")])
    cert = (
        _builder(subject, ca_cert.subject, key.public_key(), SERVING_DAYS)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(_sans(hosts)), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def serving_sans(cert: x509.Certificate) -> set[str]:
    """The certificate's SANs as strings (IP addresses and DNS names alike)."""
    extension = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    ips = {str(ip) for ip in extension.get_values_for_type(x509.IPAddress)}
    return ips | set(extension.get_values_for_type(x509.DNSName))


def _serving_cert_fits(path: Path, ca_cert: x509.Certificate, hosts: Sequence[str]) -> bool:
    if not path.exists() or not path.with_name("server.key").exists():
        return False
    try:
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        cert.verify_directly_issued_by(ca_cert)
        sans = serving_sans(cert)
    except (ValueError, TypeError, x509.ExtensionNotFound, InvalidSignature):
        return False
    wanted = {str(ipaddress.ip_address(h)) if _is_ip(h) else h for h in hosts}
    return sans == wanted and cert.not_valid_after_utc - RENEW_BEFORE > _now()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
