"""Throwaway TLS material for tests, made with the `openssl` CLI: a CA, a server certificate it
signs (SAN IP:127.0.0.1, IP:127.0.0.2, DNS:localhost), and an unrelated "wrong" CA for tests that
must see verification fail. Generated at test time; nothing is committed."""
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


def make_certs(directory: str, host: str = "127.0.0.1") -> dict[str, str]:
    """Writes ca.pem/ca.key, server.pem/server.key and wrong-ca.pem/wrong-ca.key into `directory`
    (mode 0600 each) and returns their paths by role."""
    os.makedirs(directory, mode=0o700, exist_ok=True)
    ca_cert, ca_key = _make_ca(directory, "ca", "dokploy-emulator test CA")
    wrong_cert, wrong_key = _make_ca(directory, "wrong-ca", "dokploy-emulator unrelated CA")
    key, cert = os.path.join(directory, "server.key"), os.path.join(directory, "server.pem")
    sans = ["IP:127.0.0.1", "IP:127.0.0.2", "DNS:localhost"]
    extra = f"IP:{host}" if host.replace(".", "").isdigit() or ":" in host else f"DNS:{host}"
    if extra not in sans:
        sans.append(extra)
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
    paths = {"ca": ca_cert, "ca_key": ca_key, "cert": cert, "key": key,
             "wrong_ca": wrong_cert, "wrong_ca_key": wrong_key}
    for path in paths.values():
        os.chmod(path, 0o600)
    return paths


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
