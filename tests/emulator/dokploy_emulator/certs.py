"""Throwaway TLS material for tests, made with the `openssl` CLI: a CA, a server certificate it
signs (SAN IP:127.0.0.1, IP:127.0.0.2, DNS:localhost), and an unrelated "wrong" CA for tests that
must see verification fail; the emulated Traefik issues certificates per host name with a CA too.
Generated at test time; nothing is committed."""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile

_EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


def _openssl(*args: str) -> None:
    result = subprocess.run(["openssl", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args[:2])} failed: {result.stderr.strip()}")


def _make_ca(directory: str, stem: str, common_name: str) -> tuple[str, str]:
    key, cert = os.path.join(directory, f"{stem}.key"), os.path.join(directory, f"{stem}.pem")
    _openssl("req", "-x509", *_EC, "-keyout", key, "-out", cert, "-days", "3",
             "-subj", f"/CN={common_name}",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign",
             "-addext", "subjectKeyIdentifier=hash")
    return cert, key


def issue_certificate(directory: str, stem: str, ca_cert: str, ca_key: str, host: str,
                      extra_sans: tuple[str, ...] = ()) -> tuple[str, str]:
    """Writes <stem>.pem/<stem>.key: a server certificate for `host` (an IP address or a DNS
    name) signed by the CA; returns (cert, key)."""
    key, cert = os.path.join(directory, f"{stem}.key"), os.path.join(directory, f"{stem}.pem")
    sans = list(extra_sans)
    own = f"IP:{host}" if host.replace(".", "").isdigit() or ":" in host else f"DNS:{host}"
    if own not in sans:
        sans.append(own)
    with tempfile.TemporaryDirectory() as scratch:
        csr, ext = os.path.join(scratch, "server.csr"), os.path.join(scratch, "ext.cnf")
        _openssl("req", "-new", *_EC, "-keyout", key, "-out", csr, "-subj", f"/CN={host}")
        with open(ext, "w", encoding="ascii") as f:
            f.write(f"subjectAltName={','.join(sans)}\n"
                    "basicConstraints=critical,CA:FALSE\n"
                    "keyUsage=critical,digitalSignature,keyEncipherment\n"
                    "extendedKeyUsage=serverAuth\n"
                    "subjectKeyIdentifier=hash\n"
                    "authorityKeyIdentifier=keyid,issuer\n")
        _openssl("x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key,
                 "-set_serial", "0x" + secrets.token_hex(16), "-days", "2", "-out", cert,
                 "-extfile", ext)
    os.chmod(key, 0o600)
    os.chmod(cert, 0o600)
    return cert, key


def make_ca(directory: str, stem: str = "ca", common_name: str = "dokploy-emulator test CA") -> tuple[str, str]:
    """Writes <stem>.pem/<stem>.key, a CA that signs certificates; returns (cert, key)."""
    os.makedirs(directory, mode=0o700, exist_ok=True)
    cert, key = _make_ca(directory, stem, common_name)
    os.chmod(cert, 0o600)
    os.chmod(key, 0o600)
    return cert, key


def make_self_signed(directory: str, stem: str, common_name: str) -> tuple[str, str]:
    """A certificate nobody vouches for (Traefik's default one); returns (cert, key)."""
    key, cert = os.path.join(directory, f"{stem}.key"), os.path.join(directory, f"{stem}.pem")
    _openssl("req", "-x509", *_EC, "-keyout", key, "-out", cert, "-days", "3", "-subj", f"/CN={common_name}")
    os.chmod(key, 0o600)
    return cert, key


def make_certs(directory: str, host: str = "127.0.0.1") -> dict[str, str]:
    """Writes ca.pem/ca.key, server.pem/server.key and wrong-ca.pem/wrong-ca.key into `directory`
    (mode 0600 each) and returns their paths by role."""
    ca_cert, ca_key = make_ca(directory)
    wrong_cert, wrong_key = make_ca(directory, "wrong-ca", "dokploy-emulator unrelated CA")
    cert, key = issue_certificate(directory, "server", ca_cert, ca_key, host,
                                  ("IP:127.0.0.1", "IP:127.0.0.2", "DNS:localhost"))
    return {"ca": ca_cert, "ca_key": ca_key, "cert": cert, "key": key,
            "wrong_ca": wrong_cert, "wrong_ca_key": wrong_key}


def main(argv: list[str]) -> int:
    """dokploy-emulator make-certs DIR [--host 127.0.0.1]: prints the paths as one JSON line."""
    import argparse
    parser = argparse.ArgumentParser(prog="dokploy-emulator make-certs")
    parser.add_argument("directory")
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    try:
        paths = make_certs(args.directory, args.host)
    except (RuntimeError, OSError) as e:
        print(f"dokploy-emulator make-certs: {e}", file=sys.stderr)
        return 1
    print(json.dumps(paths), flush=True)
    return 0
