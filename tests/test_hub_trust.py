"""The kiosk talks to an https hub only when the hub's certificate is signed by an authority in
the machine's trust store (a folder of hashed certificates, as Debian keeps /etc/ssl/certs) and
names the hub's host: checked against a real TLS server on loopback."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.hub_client import HubClient, HubUnavailable, hub_trust
from tests.loopback import QuietHandler, serve
from tests.qt_async import run


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _certificate(subject: str, key: ec.EllipticCurvePrivateKey, issuer: str, signer: ec.EllipticCurvePrivateKey,
                 ca: bool, names: list[x509.GeneralName]) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
            critical=True)
    return builder.sign(signer, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@contextmanager
def tls_hub(tmp_path: Path, names: list[x509.GeneralName]) -> Iterator[tuple[str, Path]]:
    """A hub answering /api/v1/health over TLS, its certificate for ``names`` signed by a new
    authority; yields its URL and a folder trusting that authority (hashed by openssl rehash)."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Test Council CA", ca_key, "Test Council CA", ca_key, ca=True, names=[])
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = _certificate("hub", key, "Test Council CA", ca_key, ca=False, names=names)
    (tmp_path / "hub.pem").write_bytes(_pem(leaf) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    trusted = tmp_path / "trusted"
    trusted.mkdir()
    (trusted / "test-council-ca.pem").write_bytes(_pem(ca))
    subprocess.run(["openssl", "rehash", str(trusted)], check=True, capture_output=True, timeout=30)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "hub.pem")

    class Health(QuietHandler):
        def do_GET(self) -> None:
            self.send_json(200, {"status": "ok"})

    with serve(Health, context) as url:
        yield url, trusted


def health(qtbot: Any, url: str, authorities: Path) -> None:
    async def ask() -> None:
        client = HubClient(url, "kt_test", connect_timeout=2, read_timeout=2, authorities=authorities)
        try:
            await client.health()
        finally:
            await client.aclose()

    run(qtbot, ask())


def test_an_https_hub_signed_by_an_authority_in_the_trust_store_is_reached(qtbot: Any, qasync_loop: Any,
                                                                           tmp_path: Path) -> None:
    with tls_hub(tmp_path, [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]) as (url, trusted):
        health(qtbot, url, trusted)  # no exception: the hub answered, its certificate checked
        empty = tmp_path / "empty"
        empty.mkdir()
        with pytest.raises(HubUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
            health(qtbot, url, empty)


def test_an_https_hub_whose_certificate_names_another_host_is_refused(qtbot: Any, qasync_loop: Any,
                                                                      tmp_path: Path) -> None:
    with tls_hub(tmp_path, [x509.DNSName("hub.example")]) as (url, trusted), \
            pytest.raises(HubUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
        health(qtbot, url, trusted)


def test_an_http_hub_trusts_no_authority_at_all() -> None:
    """TLS is never used with an http hub; if it were, it would fail closed."""
    context = hub_trust("http://127.0.0.1:8700", Path("/etc/ssl/certs"))
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
