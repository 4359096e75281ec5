#!/usr/bin/python3
# Writes the seed corpora of the jws, key and trust-store fuzz targets:
# valid samples, signed with the fuzz target's own key, and tricky ones.
# The corpora are committed; run this again only to change them:
#   /usr/bin/python3 tests/fuzz/make-seeds.py tests/fuzz/corpus
# Needs python3-cryptography (Debian's), not our code, so that the valid
# samples are made by another implementation.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, ec

FUZZ_KEY_PEM = b"""-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIDGwivmKKHp0c3reUZM6HMS0YDx8VB0qXxMVmG4Du8Ph
-----END PRIVATE KEY-----
"""


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_public(key):
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def kid_of(x):
    canonical = '{"crv":"Ed25519","kty":"OKP","x":"%s"}' % b64(x)
    return b64(hashlib.sha256(canonical.encode()).digest())


def sign(key, header, payload):
    if isinstance(header, dict):
        header = json.dumps(header, separators=(",", ":")).encode()
    signing_input = (b64(header) + "." + b64(payload)).encode()
    return signing_input.decode() + "." + b64(key.sign(signing_input))


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def jws_seeds(out, key):
    kid = kid_of(raw_public(key))
    other = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    report = json.dumps({"format": "diligence-report/1", "assessment": "x", "level": "amber"}).encode()
    good = sign(key, {"alg": "EdDSA", "kid": kid, "typ": "diligence-report+jws"}, report)
    d = os.path.join(out, "jws")

    write(d, "valid-report.jws", good)
    write(d, "valid-review.jws", sign(key, {"alg": "EdDSA", "kid": kid, "typ": "diligence-review+jws"}, b'{"ok":true}'))
    write(d, "valid-no-typ.jws", sign(key, {"alg": "EdDSA", "kid": kid}, b""))
    write(d, "valid-extra-members.jws", sign(key, {"alg": "EdDSA", "kid": kid, "jwk": {"kty": "OKP"}, "x5u": "https://example.org/"}, b"x"))
    write(d, "other-key.jws", sign(other, {"alg": "EdDSA", "kid": kid_of(raw_public(other))}, report))
    write(d, "kid-lies.jws", sign(other, {"alg": "EdDSA", "kid": kid}, report))
    write(d, "alg-none.jws", b64(b'{"alg":"none","kid":"%s"}' % kid.encode()) + "." + b64(report) + ".")
    write(d, "alg-hs256.jws", b64(b'{"alg":"HS256","kid":"%s"}' % kid.encode()) + "." + b64(report) + "." + b64(b"\0" * 32))
    write(d, "alg-rs256.jws", b64(b'{"alg":"RS256","kid":"%s"}' % kid.encode()) + "." + b64(report) + "." + b64(b"\0" * 256))
    write(d, "crit.jws", sign(key, {"alg": "EdDSA", "kid": kid, "crit": ["exp"], "exp": 1}, report))
    write(d, "crit-empty.jws", sign(key, {"alg": "EdDSA", "kid": kid, "crit": []}, report))
    write(d, "b64-false.jws", sign(key, {"alg": "EdDSA", "kid": kid, "b64": False, "crit": ["b64"]}, report))
    write(d, "duplicate-alg.jws", sign(key, b'{"alg":"EdDSA","alg":"none","kid":"%s"}' % kid.encode(), report))
    write(d, "no-kid.jws", sign(key, {"alg": "EdDSA"}, report))
    write(d, "kid-nul.jws", sign(key, b'{"alg":"EdDSA","kid":"%s\\u0000x"}' % kid.encode(), report))
    write(d, "header-array.jws", sign(key, b'["alg","EdDSA"]', report))
    write(d, "header-not-json.jws", sign(key, b"alg=EdDSA", report))
    write(d, "header-bom.jws", sign(key, b'\xef\xbb\xbf{"alg":"EdDSA","kid":"%s"}' % kid.encode(), report))
    write(d, "header-invalid-utf8.jws", sign(key, b'{"alg":"EdDSA","kid":"%s","typ":"\xff"}' % kid.encode(), report))
    write(d, "padding.jws", good + "=")
    write(d, "plain-base64.jws", good.replace("-", "+").replace("_", "/"))
    write(d, "newline.jws", good + "\n")
    write(d, "two-parts.jws", good.rsplit(".", 1)[0])
    write(d, "four-parts.jws", good + ".")
    write(d, "empty-signature.jws", good.rsplit(".", 1)[0] + ".")
    write(d, "short-signature.jws", good.rsplit(".", 1)[0] + "." + b64(b"\1" * 63))
    write(d, "non-canonical-bits.jws", good[:-1] + ("B" if good[-1] == "A" else "A"))
    write(d, "empty.jws", b"")
    write(d, "dots.jws", b"..")
    # Headers to be signed by the target itself (see fuzz-jws.c).
    write(d, "header-valid.txt", b'{"alg":"EdDSA","kid":"%s","typ":"diligence-report+jws"}\n' % kid.encode() + report)
    write(d, "header-none.txt", b'{"alg":"none"}\n')
    write(d, "header-crit.txt", b'{"alg":"EdDSA","kid":"%s","crit":["x"]}\npayload' % kid.encode())
    write(d, "header-b64.txt", b'{"alg":"EdDSA","kid":"%s","b64":false}\npayload' % kid.encode())
    write(d, "header-typ-quote.txt", b'{"alg":"EdDSA","kid":"%s","typ":"a\\"b"}\n' % kid.encode())
    write(d, "header-kid-other.txt", b'{"alg":"EdDSA","kid":"%s"}\n' % kid_of(raw_public(other)).encode())


def key_seeds(out, key):
    d = os.path.join(out, "key")
    pem_private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    pem_public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    x = raw_public(key)
    kid = kid_of(x)

    write(d, "private.pem", pem_private)
    write(d, "public.pem", pem_public)
    write(d, "public-crlf.pem", pem_public.replace(b"\n", b"\r\n"))
    write(d, "public-with-text.pem", b"Our key, as agreed:\n\n" + pem_public + b"\nKind regards\n")
    write(d, "two-blocks.pem", pem_public + pem_private)
    write(d, "encrypted.pem", key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.BestAvailableEncryption(b"secret")))
    write(d, "openssh.pem", key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                               serialization.NoEncryption()))
    ec_key = ec.derive_private_key(12345, ec.SECP256R1())
    write(d, "ec-p256.pem", ec_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                              serialization.PublicFormat.SubjectPublicKeyInfo))
    write(d, "certificate-label.pem", pem_public.replace(b"PUBLIC KEY", b"CERTIFICATE"))
    write(d, "truncated.pem", pem_public[: len(pem_public) // 2])
    write(d, "bad-base64.pem", pem_public.replace(b"MCow", b"M!ow"))
    write(d, "no-end.pem", pem_public.split(b"-----END")[0])
    write(d, "begin-only.pem", b"-----BEGIN PUBLIC KEY-----")
    write(d, "nul-in-label.pem", b"-----BEGIN PUBLIC\0KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n")
    write(d, "jwk.json", json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64(x), "kid": kid}))
    write(d, "jwk-no-kid.json", json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64(x), "use": "sig", "alg": "EdDSA"}))
    write(d, "jwk-wrong-kid.json", json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64(x), "kid": "me"}))
    write(d, "jwk-private.json", json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64(x), "d": b64(bytes(32))}))
    write(d, "jwk-x25519.json", json.dumps({"kty": "OKP", "crv": "X25519", "x": b64(x)}))
    write(d, "jwk-rsa.json", json.dumps({"kty": "RSA", "n": "AQAB", "e": "AQAB"}))
    write(d, "jwk-hmac.json", json.dumps({"kty": "oct", "k": b64(b"secret")}))
    write(d, "jwk-short-x.json", json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64(x[:31])}))
    write(d, "jwk-padded-x.json", json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64(x) + "="}))
    write(d, "jwk-kty-nul.json", '{"kty":"OKP\\u0000RSA","crv":"Ed25519","x":"%s"}' % b64(x))
    write(d, "jwk-kid-nul.json", '{"kty":"OKP","crv":"Ed25519","x":"%s","kid":"%s\\u0000junk"}' % (b64(x), kid))
    write(d, "jwk-duplicate-x.json", '{"kty":"OKP","crv":"Ed25519","x":"%s","x":"%s"}' % (b64(x), b64(x)))
    write(d, "jwk-use-enc.json", json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64(x), "use": "enc"}))
    write(d, "jwk-x-number.json", '{"kty":"OKP","crv":"Ed25519","x":12}')
    write(d, "jwk-array.json", "[" + json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64(x)}) + "]")
    # Small-order points (anyone can forge signatures for them) and a y
    # that is not reduced modulo p: refused since the first fuzzing run.
    write(d, "jwk-low-order.json", json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64(bytes(32))}))
    write(d, "jwk-identity.json", json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64(b"\1" + bytes(31))}))
    order8 = bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85")
    write(d, "jwk-order-8.json", json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64(order8)}))
    write(d, "jwk-non-canonical.json", json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64(b"\xee" + b"\xff" * 30 + b"\x7f")}))
    spki_identity = bytes.fromhex("302a300506032b6570032100") + b"\1" + bytes(31)
    write(d, "spki-identity.pem", b"-----BEGIN PUBLIC KEY-----\n" + base64.encodebytes(spki_identity) + b"-----END PUBLIC KEY-----\n")
    write(d, "empty", b"")
    write(d, "space-brace", b"   \n{")


def trust_seeds(out, key):
    d = os.path.join(out, "trust-store")
    other = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))

    def entry(k, name="Exemple SA", org_id="BE0123456789", trusted=True, added="2026-01-15T10:00:00Z"):
        x = raw_public(k)
        return {"kid": kid_of(x), "x": b64(x), "organisation": {"name": name, "id": org_id},
                "trusted": trusted, "added_at": added}

    def doc(*entries, fmt="diligence-trust/1"):
        return json.dumps({"format": fmt, "keys": list(entries)}, indent=2, ensure_ascii=False)

    write(d, "empty-list.json", doc())
    write(d, "two-keys.json", doc(entry(key), entry(other, name="Łódź Components sp. z o.o.", org_id=None, trusted=False)))
    write(d, "newer-format.json", doc(entry(key), fmt="diligence-trust/2"))
    write(d, "other-format.json", doc(entry(key), fmt="something-else"))
    write(d, "listed-twice.json", doc(entry(key), entry(key)))
    bad_kid = entry(key)
    bad_kid["kid"] = kid_of(raw_public(other))
    write(d, "kid-does-not-match.json", doc(bad_kid))
    write(d, "empty-name.json", doc(entry(key, name="")))
    write(d, "long-name.json", doc(entry(key, name="N" * 1025)))
    write(d, "bad-date.json", doc(entry(key, added="yesterday")))
    write(d, "trusted-string.json", doc(entry(key, trusted="yes")))
    write(d, "org-id-number.json", doc(entry(key, org_id=42)))
    short = entry(key)
    short["x"] = short["x"][:-2]
    write(d, "short-x.json", doc(short))
    write(d, "name-nul.json", doc(entry(key)).replace("Exemple SA", "Exemple\\u0000SA"))
    write(d, "keys-object.json", '{"format":"diligence-trust/1","keys":{}}')
    write(d, "no-keys.json", '{"format":"diligence-trust/1"}')
    write(d, "root-array.json", "[]")
    write(d, "duplicate-format.json", '{"format":"diligence-trust/1","format":"diligence-trust/1","keys":[]}')
    write(d, "truncated.json", doc(entry(key))[:100])
    write(d, "empty", b"")


def main():
    out = sys.argv[1]
    key = serialization.load_pem_private_key(FUZZ_KEY_PEM, password=None)
    jws_seeds(out, key)
    key_seeds(out, key)
    trust_seeds(out, key)


if __name__ == "__main__":
    main()
