#!/usr/bin/env python3
"""Runs deploy/'s nginx front for a test in another language (tests/browser): its own prefix,
port and certificate, in front of the given serve.py ports. Prints one JSON line
{"port", "cert", "spki"} (spki: the certificate's key hash, for Chromium's
--ignore-certificate-errors-spki-list, which trusts that one certificate for one run), then
runs until its standard input closes.

    python3 tests/server/front_cli.py BUNDLE_DIR PORT [PORT...]
"""
import base64
import hashlib
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from front_fixture import Nginx  # noqa: E402


def spki_hash(cert):
    der = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-pubkey"], check=True,
                         capture_output=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=der, check=True,
                         capture_output=True).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def main():
    bundle, ports = sys.argv[1], [int(p) for p in sys.argv[2:]]
    front = Nginx(bundle, ports)
    try:
        front.start()
        print(json.dumps({"port": front.port, "cert": front.cert, "spki": spki_hash(front.cert)}), flush=True)
        while os.read(0, 4096):
            pass
    finally:
        front.stop()


if __name__ == "__main__":
    main()
