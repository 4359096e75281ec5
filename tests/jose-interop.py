#!/usr/bin/env python3
# jose-interop.py - Diligence's signatures against an independent JOSE
# implementation (python3-jwcrypto), and OpenSSL where it is installed.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: jose-interop.py DILIGENCE-TOOL JWS-HELPER
#
# Our side is driven only through programs: diligence-tool keygen and
# pubkey, and tests/jws-helper (sign, verify). Prints TAP.

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

try:
    from jwcrypto import jwk, jws
    from jwcrypto.common import json_encode
except ImportError:
    print("Bail out! python3-jwcrypto is missing: run build-aux/install-deps")
    sys.exit(1)

TOOL, HELPER = sys.argv[1], sys.argv[2]
TYP = "diligence-report+jws"
PAYLOAD = json.dumps({"format": "diligence-report/1", "id": "3f1c0c1e-8d7b-4c55-9d4e-0f6a1a2b3c4d",
                      "organisation": {"name": "Réseau Informatique SA", "id": "BE0123456789"}},
                     ensure_ascii=False).encode("utf-8")

checks = []


def check(name):
    def wrap(fn):
        checks.append((name, fn))
        return fn
    return wrap


def run(*args, ok=True):
    p = subprocess.run(list(args), capture_output=True)
    if ok and p.returncode != 0:
        raise AssertionError(f"{args} exited {p.returncode}: {p.stderr.decode(errors='replace')}")
    return p


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def write(path, data):
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


def jwcrypto_verify(token, key):
    t = jws.JWS()
    t.allowed_algs = ["EdDSA"]
    t.deserialize(token)
    t.verify(key, alg="EdDSA")
    return t.payload


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_sign(key, payload, header):
    """Signs any header, even one jwcrypto itself would refuse to make,
    with the key's Ed25519 private key (through python3-cryptography)."""
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(payload)
    signature = key.get_op_key("sign").sign(signing_input.encode())
    return signing_input + "." + b64url(signature)


def jwcrypto_sign(key, payload, header):
    s = jws.JWS(payload)
    s.add_signature(key, None, protected=json_encode(header))
    return s.serialize(compact=True)


@check("our key, our signature: jwcrypto verifies it with our public JWK and PEM")
def ours_to_jwcrypto(d):
    key_path = os.path.join(d, "org.pem")
    out = run(TOOL, "keygen", "--output", key_path).stdout.decode().strip()
    kid = out.splitlines()[0]
    pub_jwk = run(TOOL, "pubkey", key_path).stdout.decode()
    pub_pem = run(TOOL, "pubkey", "--pem", key_path).stdout

    token = run(HELPER, "sign", key_path, TYP, write(os.path.join(d, "p.json"), PAYLOAD)).stdout.decode()

    # The header is exactly the profile's.
    header = json.loads(b64url_decode(token.split(".")[0]))
    assert header == {"alg": "EdDSA", "kid": kid, "typ": TYP}, header

    k1 = jwk.JWK.from_json(pub_jwk)
    assert jwcrypto_verify(token, k1) == PAYLOAD
    k2 = jwk.JWK.from_pem(pub_pem)
    assert jwcrypto_verify(token, k2) == PAYLOAD

    # Our key id is jwcrypto's RFC 7638 thumbprint, of the public key and
    # of the private key file alike.
    assert k1.thumbprint() == kid, (k1.thumbprint(), kid)
    with open(key_path, "rb") as f:
        private = jwk.JWK.from_pem(f.read())
    assert private.thumbprint() == kid
    assert json.loads(pub_jwk)["kid"] == kid

    # A signature by the private key read by jwcrypto verifies with ours.
    token2 = jwcrypto_sign(private, PAYLOAD, {"alg": "EdDSA", "kid": kid})
    p = run(HELPER, "verify", write(os.path.join(d, "pub.jwk"), pub_jwk), write(os.path.join(d, "t2"), token2))
    assert p.stdout == PAYLOAD


@check("jwcrypto's key and signature: we verify it with its JWK and its PEM")
def jwcrypto_to_ours(d):
    key = jwk.JWK.generate(kty="OKP", crv="Ed25519")
    kid = key.thumbprint()
    token = jwcrypto_sign(key, PAYLOAD, {"alg": "EdDSA", "kid": kid, "typ": TYP})
    token_path = write(os.path.join(d, "t.jws"), token)

    jwk_path = write(os.path.join(d, "k.jwk"), key.export_public())
    pem_path = write(os.path.join(d, "k.pem"), key.export_to_pem(private_key=False))

    assert run(HELPER, "verify", jwk_path, token_path).stdout == PAYLOAD
    assert run(HELPER, "verify", pem_path, token_path).stdout == PAYLOAD

    # Our pubkey reads jwcrypto's private PKCS#8 and finds the same id.
    priv_path = write(os.path.join(d, "k-private.pem"), key.export_to_pem(private_key=True, password=None))
    ours = json.loads(run(TOOL, "pubkey", priv_path).stdout)
    assert ours["kid"] == kid and ours["x"] == json.loads(key.export_public())["x"]

    # And signs with it in a way jwcrypto accepts.
    token2 = run(HELPER, "sign", priv_path, TYP, write(os.path.join(d, "p"), b"x")).stdout.decode()
    assert jwcrypto_verify(token2, key) == b"x"


@check("jwcrypto-signed documents we must refuse")
def refusals(d):
    key = jwk.JWK.generate(kty="OKP", crv="Ed25519")
    other = jwk.JWK.generate(kty="OKP", crv="Ed25519")
    kid = key.thumbprint()
    jwk_path = write(os.path.join(d, "k.jwk"), key.export_public())

    def refused(token, code):
        p = run(HELPER, "verify", jwk_path, write(os.path.join(d, "bad.jws"), token), ok=False)
        err = p.stderr.decode()
        assert p.returncode == 1 and err.startswith(code + ":"), (code, p.returncode, err)

    good = jwcrypto_sign(key, PAYLOAD, {"alg": "EdDSA", "kid": kid})
    h, p, s = good.split(".")

    # Every single changed character.
    for i in range(len(good)):
        if good[i] == ".":
            continue
        c = "A" if good[i] != "A" else "B"
        bad = good[:i] + c + good[i + 1:]
        pr = run(HELPER, "verify", jwk_path, write(os.path.join(d, "bad.jws"), bad), ok=False)
        assert pr.returncode == 1, f"changing character {i} went unnoticed"

    # HMAC with the public key's bytes as the secret.
    x = json.loads(key.export_public())["x"]
    hmac_key = jwk.JWK(kty="oct", k=x)
    refused(jwcrypto_sign(hmac_key, PAYLOAD, {"alg": "HS256", "kid": kid}), "UNSUPPORTED_ALGORITHM")

    # Another algorithm altogether.
    ec = jwk.JWK.generate(kty="EC", crv="P-256")
    refused(jwcrypto_sign(ec, PAYLOAD, {"alg": "ES256", "kid": kid}), "UNSUPPORTED_ALGORITHM")

    # Unsigned.
    refused(b64url(json.dumps({"alg": "none", "kid": kid}).encode()) + "." + p + ".", "UNSUPPORTED_ALGORITHM")

    # An extension marked critical, and an unencoded payload.
    refused(raw_sign(key, PAYLOAD, {"alg": "EdDSA", "kid": kid, "crit": ["exp"], "exp": 1}),
            "UNSUPPORTED_CRITICAL")
    refused(raw_sign(key, PAYLOAD, {"alg": "EdDSA", "kid": kid, "b64": False, "crit": ["b64"]}),
            "UNSUPPORTED_CRITICAL")
    # The raw signer itself makes documents we accept.
    assert run(HELPER, "verify", jwk_path,
               write(os.path.join(d, "raw.jws"), raw_sign(key, PAYLOAD, {"alg": "EdDSA", "kid": kid}))).stdout == PAYLOAD

    # Signed by another key, which it offers in the header.
    refused(jwcrypto_sign(other, PAYLOAD, {"alg": "EdDSA", "kid": other.thumbprint(),
                                           "jwk": json.loads(other.export_public())}), "KEY_MISMATCH")
    refused(jwcrypto_sign(other, PAYLOAD, {"alg": "EdDSA", "kid": kid,
                                           "jwk": json.loads(other.export_public())}), "BAD_SIGNATURE")

    # jwcrypto's JSON serialisation is not the compact form.
    full = jws.JWS(PAYLOAD)
    full.add_signature(key, None, protected=json_encode({"alg": "EdDSA", "kid": kid}))
    refused(full.serialize(), "MALFORMED")

    # Padding added by a careless encoder.
    refused(h + "==." + p + "." + s, "MALFORMED")


@check("openssl verifies our signature over the signing input and computes our key id")
def openssl(d):
    if shutil.which("openssl") is None:
        return "SKIP openssl is not installed"
    key_path = os.path.join(d, "org.pem")
    run(TOOL, "keygen", "--output", key_path)
    pub_path = write(os.path.join(d, "pub.pem"), run(TOOL, "pubkey", "--pem", key_path).stdout)
    token = run(HELPER, "sign", key_path, TYP, write(os.path.join(d, "p.json"), PAYLOAD)).stdout.decode()
    h, p, s = token.split(".")
    input_path = write(os.path.join(d, "input"), h + "." + p)
    sig_path = write(os.path.join(d, "sig"), b64url_decode(s))
    r = run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub_path, "-rawin",
            "-in", input_path, "-sigfile", sig_path, ok=False)
    assert r.returncode == 0, r.stdout + r.stderr
    # The key id, computed as docs/keys-and-signatures.md shows.
    kid = json.loads(b64url_decode(h))["kid"]
    script = ("x=$(openssl pkey -pubin -in \"$1\" -outform DER | tail -c 32 | base64 | tr '+/' '-_' | tr -d '=')\n"
              "printf '{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"%s\"}' \"$x\" "
              "| openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='\n")
    r = run("sh", "-c", script, "sh", pub_path)
    assert r.stdout.decode().strip() == kid, (r.stdout, kid)
    # And refuses it for a changed payload.
    write(input_path, h + "." + p[:-2] + ("AA" if p[-2:] != "AA" else "BA"))
    r = run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub_path, "-rawin",
            "-in", input_path, "-sigfile", sig_path, ok=False)
    assert r.returncode != 0


print(f"1..{len(checks)}")
failed = 0
for n, (name, fn) in enumerate(checks, 1):
    with tempfile.TemporaryDirectory(prefix="dlg-jose-") as d:
        try:
            result = fn(d)
            if isinstance(result, str) and result.startswith("SKIP"):
                print(f"ok {n} {name} # {result}")
            else:
                print(f"ok {n} {name}")
        except Exception as e:  # noqa: BLE001 - every failure is reported
            failed += 1
            print(f"not ok {n} {name}")
            for line in repr(e).splitlines():
                print(f"# {line}")
sys.exit(1 if failed else 0)
