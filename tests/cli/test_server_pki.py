"""The CA, serving certificate, token and kubeconfig in the data dir: generated once, 0600, kept."""

from __future__ import annotations

import base64
import ssl
import stat
from pathlib import Path

import yaml
from cryptography import x509

from kubelite.cli.kubeconfig import admin_kubeconfig, write_kubeconfig
from kubelite.cli.pki import default_hosts, ensure_pki, ensure_token, server_ssl_context, serving_sans

HOSTS = ["127.0.0.1", "localhost", "myhost"]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_first_start_generates_a_ca_and_a_serving_cert_with_the_sans(tmp_path: Path) -> None:
    pki = ensure_pki(tmp_path / "d", HOSTS)
    for name in ("ca.crt", "ca.key", "server.crt", "server.key"):
        assert _mode(tmp_path / "d" / name) == 0o600, name
    assert _mode(tmp_path / "d") == 0o700
    cert = x509.load_pem_x509_certificate(pki.server_cert.read_bytes())
    ca = x509.load_pem_x509_certificate(pki.ca_pem)
    cert.verify_directly_issued_by(ca)
    assert serving_sans(cert) == {"127.0.0.1", "localhost", "myhost"}
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_a_restart_keeps_everything(tmp_path: Path) -> None:
    first = ensure_pki(tmp_path, HOSTS)
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    again = ensure_pki(tmp_path, list(reversed(HOSTS)))
    assert again == first
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == files


def test_changed_sans_reissue_the_serving_cert_under_the_same_ca(tmp_path: Path) -> None:
    ensure_pki(tmp_path, HOSTS)
    ca_before = (tmp_path / "ca.crt").read_bytes(), (tmp_path / "ca.key").read_bytes()
    server_before = (tmp_path / "server.crt").read_bytes()
    pki = ensure_pki(tmp_path, [*HOSTS, "10.1.2.3"])
    assert ((tmp_path / "ca.crt").read_bytes(), (tmp_path / "ca.key").read_bytes()) == ca_before
    assert pki.server_cert.read_bytes() != server_before
    cert = x509.load_pem_x509_certificate(pki.server_cert.read_bytes())
    assert serving_sans(cert) == {"127.0.0.1", "localhost", "myhost", "10.1.2.3"}
    cert.verify_directly_issued_by(x509.load_pem_x509_certificate(pki.ca_pem))


def test_a_corrupt_serving_cert_is_replaced(tmp_path: Path) -> None:
    ensure_pki(tmp_path, HOSTS)
    (tmp_path / "server.crt").write_bytes(b"garbage")
    pki = ensure_pki(tmp_path, HOSTS)
    assert serving_sans(x509.load_pem_x509_certificate(pki.server_cert.read_bytes())) == set(HOSTS)


def test_the_ssl_context_loads_and_the_ca_verifies_it(tmp_path: Path) -> None:
    pki = ensure_pki(tmp_path, HOSTS)
    server_ssl_context(pki)
    client = ssl.create_default_context(cadata=pki.ca_pem.decode())
    assert client.verify_mode == ssl.CERT_REQUIRED


def test_default_hosts_add_a_specific_listen_address() -> None:
    assert default_hosts("0.0.0.0")[:2] == ["127.0.0.1", "localhost"]
    assert "0.0.0.0" not in default_hosts("0.0.0.0")
    assert default_hosts("10.0.0.5")[-1] == "10.0.0.5"


def test_the_token_is_generated_once_and_private(tmp_path: Path) -> None:
    token = ensure_token(tmp_path)
    assert len(token) >= 40 and _mode(tmp_path / "token") == 0o600
    assert ensure_token(tmp_path) == token
    assert ensure_token(tmp_path / "other") != token


def test_the_kubeconfig_carries_the_ca_and_the_token(tmp_path: Path) -> None:
    pki = ensure_pki(tmp_path, HOSTS)
    path = tmp_path / "kube" / "config"
    write_kubeconfig(path, admin_kubeconfig("https://127.0.0.1:6443", ca_pem=pki.ca_pem, token="t0k"))
    assert _mode(path) == 0o600
    config = yaml.safe_load(path.read_text())
    assert config["current-context"] == "kubelite"
    cluster = config["clusters"][0]["cluster"]
    assert cluster["server"] == "https://127.0.0.1:6443"
    assert base64.b64decode(cluster["certificate-authority-data"]) == pki.ca_pem
    assert config["users"][0]["user"] == {"token": "t0k"}


def test_a_plain_http_kubeconfig_has_neither_ca_nor_token() -> None:
    config = admin_kubeconfig("http://127.0.0.1:8080", ca_pem=None, token=None)
    assert config["clusters"][0]["cluster"] == {"server": "http://127.0.0.1:8080"}
    assert config["users"][0]["user"] == {}
