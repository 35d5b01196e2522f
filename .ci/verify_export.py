#!/usr/bin/env python3
"""Independent check of Gongjue's signed exports with standard tools: PyJWT (+ cryptography
for EdDSA) and hashlib, sharing no code with Gongjue. It proves the export format is plain
JWS/JWK and SHA-256, as docs/guide-auditor.md tells auditors.

Usage: verify_export.py DIR...   (each DIR holds NAME.json, NAME.json.jws and jwks.json,
written by the end-to-end test `publication::objections_are_heard_before_the_result_is_final`;
default: every directory under target/tmp/export-sample).

For each export it checks: the JWT header (alg EdDSA, a kid found in the JWKS), the
signature with that public key, that the key belongs to the claimed issuer, the SHA-256 of
the exact bundle bytes against the signed claim, and the signed outcome against the bundle's
result. It then proves it can fail: one changed byte of the bundle, of the signature, or a
key from elsewhere must each be refused. Exit status 0 only if all of that holds.
"""

import copy
import glob
import hashlib
import json
import os
import sys

import jwt  # PyJWT


class Refused(Exception):
    pass


def verify(bundle: bytes, token: str, jwks: dict) -> dict:
    header = jwt.get_unverified_header(token)
    if header.get("alg") != "EdDSA":
        raise Refused(f"alg is {header.get('alg')!r}, not EdDSA")
    kid = header.get("kid")
    matching = [k for k in jwks.get("keys", []) if k.get("kid") == kid]
    if not matching:
        raise Refused(f"kid {kid!r} is not in the JWKS")
    jwk = matching[0]
    key = jwt.PyJWK(jwk, algorithm="EdDSA")
    try:
        claims = jwt.decode(token, key=key, algorithms=["EdDSA"], options={"require": ["iss", "iat", "bundle_sha256"], "verify_exp": False})
    except jwt.InvalidTokenError as e:
        raise Refused(f"signature: {e}") from e
    if jwk.get("iss") != claims["iss"]:
        raise Refused(f"key {kid} belongs to {jwk.get('iss')!r}, the export claims {claims['iss']!r}")
    digest = hashlib.sha256(bundle).hexdigest()
    if digest != claims["bundle_sha256"]:
        raise Refused(f"digest: file {digest}, signed {claims['bundle_sha256']}")
    doc = json.loads(bundle)
    if doc.get("format") != "gongjue-tally/1":
        raise Refused(f"format is {doc.get('format')!r}")
    if doc.get("result", {}).get("outcome") != claims.get("outcome"):
        raise Refused(f"outcome: file {doc.get('result', {}).get('outcome')!r}, signed {claims.get('outcome')!r}")
    return claims


def must_refuse(what: str, bundle: bytes, token: str, jwks: dict) -> None:
    try:
        verify(bundle, token, jwks)
    except Refused as e:
        print(f"  refused as it must: {what} ({e})")
        return
    raise SystemExit(f"FAIL: {what} was accepted")


def check_dir(directory: str) -> None:
    bundles = [p for p in glob.glob(os.path.join(directory, "*.json")) if os.path.basename(p) != "jwks.json"]
    if not bundles:
        raise SystemExit(f"FAIL: no export in {directory}")
    with open(os.path.join(directory, "jwks.json"), "rb") as f:
        jwks = json.load(f)
    for path in bundles:
        with open(path, "rb") as f:
            bundle = f.read()
        with open(path + ".jws", encoding="ascii") as f:
            token = f.read().strip()
        try:
            claims = verify(bundle, token, jwks)
        except Refused as e:
            raise SystemExit(f"FAIL: {path}: {e}")
        print(f"ok: {path}: signature by {jwt.get_unverified_header(token)['kid']}, sha256 {claims['bundle_sha256']}, outcome {claims.get('outcome')}")

        changed = bytearray(bundle)
        changed[changed.index(b"0")] = ord("1")
        must_refuse("one changed byte of the bundle", bytes(changed), token, jwks)
        head, payload, signature = token.split(".")
        flipped = signature[:5] + ("A" if signature[5] != "A" else "B") + signature[6:]
        must_refuse("one changed character of the signature", bundle, f"{head}.{payload}.{flipped}", jwks)
        foreign = copy.deepcopy(jwks)
        for key in foreign["keys"]:
            key["iss"] = "gongjue:estate:someone-else"
        must_refuse("a key published for another estate", bundle, token, foreign)


def main() -> None:
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    dirs = sys.argv[1:] or sorted(glob.glob(os.path.join(target, "tmp", "export-sample", "*")))
    if not dirs:
        raise SystemExit("FAIL: no export sample found (run the end-to-end tests first)")
    for directory in dirs:
        check_dir(directory)
    print(f"independent verification: {len(dirs)} sample(s) ok")


if __name__ == "__main__":
    main()
