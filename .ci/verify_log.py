#!/usr/bin/env python3
"""Independent check of an estate's transparency log with the Python standard library and
`cryptography` (Ed25519), sharing no code with Gongjue. It is written from the formats'
specifications alone: RFC 6962 §2.1 (the Merkle tree), RFC 9162 §2.1.3.2 and §2.1.4.2 (checking
inclusion and consistency proofs), c2sp.org/signed-note and c2sp.org/tlog-checkpoint, and
docs/transparency-log.md (the leaves and the two proof files).

Usage: verify_log.py [DIR...]   (default: every directory under target/tmp/log-sample of the
repository holding this script, written by the end-to-end test of the log)
       verify_log.py --self-test   (checks the RFC 6962 reference tree's roots and proofs and Go
sumdb/note's reference note, then builds trees of 1 to 20 leaves, a key and a sample directory of
its own and checks them; only the samples show that it agrees with the server)

Each DIR holds keys.txt (the log's verifier keys, one a line), witness-keys.txt (the witnesses',
possibly empty), checkpoints/SIZE.txt (signed notes, some cosigned), consistency-OLD-NEW.json and
inclusion-*.json. For each directory it checks every checkpoint's log signature and any signature
of a witness whose key is listed; every consistency file against checkpoints/OLD.txt and
checkpoints/NEW.txt; every inclusion file against the checkpoint it carries (and against
checkpoints/SIZE.txt when there is one: two different roots for one size is a split view). It then
proves it can fail: a flipped byte of a proof hash, a changed entry, a checkpoint with a changed
size or root, a consistency proof checked against a different old root, a key from elsewhere and a
broken cosignature must each be refused. Exit status 0 only if all of that holds.
"""

import base64
import glob
import hashlib
import json
import os
import re
import sys
import tempfile

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ORIGIN_PREFIX = "gongjue/estate/"
ENTRY_FORMAT = "gongjue-audit/1"
INCLUSION_FORMAT = "gongjue-inclusion/1"
CONSISTENCY_FORMAT = "gongjue-consistency/1"
SIG_PREFIX = "\u2014 "  # em dash, space (c2sp.org/signed-note)
ED25519 = 0x01  # the signature type byte of Ed25519 note signatures
MAX_SIGNATURES = 100


class Refused(Exception):
    pass


# --- RFC 6962 §2.1: the hashes -------------------------------------------------------------

def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf_hash(leaf: bytes) -> bytes:
    return sha256(b"\x00" + leaf)


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right)


EMPTY_ROOT = sha256(b"")


def b64(text, what: str, length=None) -> bytes:
    if not isinstance(text, str):
        raise Refused(f"{what} is not a string")
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError as e:
        raise Refused(f"{what} is not base64: {e}") from e
    if base64.b64encode(raw).decode() != text:
        raise Refused(f"{what} is not canonical base64")
    if length is not None and len(raw) != length:
        raise Refused(f"{what} has {len(raw)} bytes, not {length}")
    return raw


# --- RFC 9162 §2.1.3.2 and §2.1.4.2: checking proofs -----------------------------------------

def check_inclusion(index: int, size: int, leaf: bytes, path: list, root: bytes) -> None:
    """RFC 9162 §2.1.3.2: `leaf` (a leaf hash) is leaf `index` of the tree of `size` with `root`."""
    if not 0 <= index < size:
        raise Refused(f"leaf {index} is outside a tree of {size}")
    fn, sn = index, size - 1
    r = leaf
    for p in path:
        if sn == 0:
            raise Refused("the inclusion proof has more hashes than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Refused("the inclusion proof has fewer hashes than the tree is deep")
    if r != root:
        raise Refused("the audit path does not lead to the checkpoint's root: the entry is not in that tree")


def check_consistency(first: int, second: int, first_root: bytes, second_root: bytes, path: list) -> None:
    """RFC 9162 §2.1.4.2: the tree of `second` (`second_root`) extends the tree of `first`."""
    if first > second:
        raise Refused(f"the later tree ({second}) is smaller than the earlier one ({first}): the log shrank")
    if first == second:
        if path:
            raise Refused("a proof between two trees of one size must be empty")
        if first_root != second_root:
            raise Refused(f"two different roots for the size {first}: the log's history was rewritten")
        return
    if first == 0:
        if path:
            raise Refused("a proof from the empty tree must be empty")
        if first_root != EMPTY_ROOT:
            raise Refused("the empty tree's root is not SHA-256 of nothing")
        return
    if not path:  # step 1
        raise Refused("the consistency proof is empty")
    if first & (first - 1) == 0:  # step 2: first is an exact power of 2
        path = [first_root] + list(path)
    fn, sn = first - 1, second - 1  # step 3
    while fn & 1:  # step 4
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]  # step 5
    for c in path[1:]:  # step 6
        if sn == 0:
            raise Refused("the consistency proof has more hashes than the trees need")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:  # step 7
        raise Refused("the consistency proof has fewer hashes than the trees need")
    if fr != first_root:
        raise Refused("the proof does not rebuild the earlier root: the earlier tree is not a prefix of the later one")
    if sr != second_root:
        raise Refused("the proof does not rebuild the later root from the earlier one: no append-only history joins them")


# --- c2sp.org/signed-note: keys and notes -------------------------------------------------------

def valid_name(name: str) -> bool:
    return bool(name) and "+" not in name and not any(c.isspace() for c in name)


def key_id(name: str, encoded_public: bytes) -> int:
    return int.from_bytes(sha256(name.encode() + b"\n" + encoded_public)[:4], "big")


class VerifierKey:
    """`<name>+<8 hex key id>+<base64(0x01 || 32-byte Ed25519 public key)>`."""

    def __init__(self, text: str):
        parts = text.split("+", 2)  # the base64 key may itself hold "+"
        if len(parts) != 3:
            raise Refused(f"verifier key {text!r} is not name+id+key")
        name, hex_id, key = parts
        if not valid_name(name):
            raise Refused(f"verifier key name {name!r} is not a valid key name")
        if not re.fullmatch(r"[0-9a-f]{8}", hex_id):
            raise Refused(f"verifier key id {hex_id!r} is not 8 hex digits")
        raw = b64(key, f"the key of {name}", 33)
        if raw[0] != ED25519:
            raise Refused(f"the key of {name} is of type {raw[0]:#04x}, not Ed25519 (0x01)")
        if key_id(name, raw) != int(hex_id, 16):
            raise Refused(f"the key id {hex_id} of {name} is not SHA-256(name, newline, key)'s")
        self.text, self.name, self.id = text, name, int(hex_id, 16)
        self.public = Ed25519PublicKey.from_public_bytes(raw[1:])

    def __repr__(self):
        return f"{self.name}+{self.id:08x}"


def parse_note(note: str):
    """The text (with its final newline) and the signatures [(name, key id, signature)]."""
    if not note.endswith("\n"):
        raise Refused("the note does not end with a newline")
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise Refused("the note holds a control character")
    split = note.rfind("\n\n")
    if split < 0:
        raise Refused("the note has no blank line before its signatures")
    text, block = note[: split + 1], note[split + 2:]
    lines = block.split("\n")[:-1]
    if not lines:
        raise Refused("the note has no signature")
    if len(lines) > MAX_SIGNATURES:
        raise Refused(f"the note has {len(lines)} signatures")
    signatures = []
    for line in lines:
        if not line.startswith(SIG_PREFIX):
            raise Refused(f"signature line {line[:30]!r} does not start with an em dash and a space")
        name, _, sig = line[len(SIG_PREFIX):].partition(" ")
        if not valid_name(name) or not sig:
            raise Refused(f"malformed signature line {line[:40]!r}")
        raw = b64(sig, f"the signature of {name}")
        if len(raw) < 5:
            raise Refused(f"the signature of {name} is too short")
        signatures.append((name, int.from_bytes(raw[:4], "big"), raw[4:]))
    return text, signatures


def verified_signers(note: str, keys: list, required: bool):
    """The text and the keys among `keys` whose signature on the note holds. A signature of a
    known key (name and id) that does not hold refuses the note; so does none at all if
    `required`. Signatures of unknown keys are ignored (c2sp.org/signed-note)."""
    text, signatures = parse_note(note)
    signed = []
    for name, kid, sig in signatures:
        for key in keys:
            if key.name == name and key.id == kid:
                try:
                    key.public.verify(sig, text.encode())
                except InvalidSignature:
                    raise Refused(f"the signature of {key!r} does not hold")
                if key not in signed:
                    signed.append(key)
    if required and not signed:
        raise Refused("no signature of a known log key")
    return text, signed, len(signatures)


# --- c2sp.org/tlog-checkpoint --------------------------------------------------------------------

class Checkpoint:
    def __init__(self, origin, size, root, log_signers, witnesses, signatures):
        self.origin, self.size, self.root = origin, size, root
        self.log_signers, self.witnesses, self.signatures = log_signers, witnesses, signatures

    def short(self) -> str:
        return self.root.hex()[:16]


def parse_checkpoint_text(text: str):
    lines = text.split("\n")[:-1]
    if len(lines) < 3 or any(not line for line in lines):
        raise Refused("a checkpoint's text is at least three non-empty lines")
    origin, size, root = lines[:3]
    if not re.fullmatch(r"0|[1-9][0-9]*", size) or int(size) >= 2**64:
        raise Refused(f"the tree size {size!r} is not a decimal number")
    return origin, int(size), b64(root, "the root hash", 32)


def verify_checkpoint(note: str, log_keys: list, witness_keys=()) -> Checkpoint:
    text, log_signers, count = verified_signers(note, log_keys, required=True)
    origin, size, root = parse_checkpoint_text(text)
    if not origin.startswith(ORIGIN_PREFIX):
        raise Refused(f"the origin {origin!r} is not an estate's log")
    if not any(k.name == origin for k in log_signers):
        raise Refused(f"signed by {log_signers}, none of them the key of the log {origin}")
    if size == 0 and root != EMPTY_ROOT:
        raise Refused("the empty tree's root is not SHA-256 of nothing")
    _, witnesses, _ = verified_signers(note, [k for k in witness_keys if k.name != origin], required=False)
    return Checkpoint(origin, size, root, log_signers, witnesses, count)


# --- the proof files (docs/transparency-log.md) -----------------------------------------------

def number(value, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Refused(f"{what} is not a non-negative integer")
    return value


def hashes(doc: dict) -> list:
    proof = doc.get("proof")
    if not isinstance(proof, list):
        raise Refused("the proof is not a list")
    return [b64(h, f"proof hash {i}", 32) for i, h in enumerate(proof)]


def verify_inclusion(doc: dict, log_keys: list, witness_keys=()):
    if doc.get("format") != INCLUSION_FORMAT:
        raise Refused(f"format is {doc.get('format')!r}")
    checkpoint = verify_checkpoint(doc.get("checkpoint"), log_keys, witness_keys) if isinstance(doc.get("checkpoint"), str) else None
    if checkpoint is None:
        raise Refused("no checkpoint")
    index = number(doc.get("leaf_index"), "leaf_index")
    entry = doc.get("entry")
    if not isinstance(entry, str):
        raise Refused("the entry is not a string")
    try:
        fields = json.loads(entry)
    except ValueError as e:
        raise Refused(f"the entry is not JSON: {e}") from e
    if not isinstance(fields, list) or len(fields) != 8 or fields[0] != ENTRY_FORMAT:
        raise Refused(f"the entry is not a {ENTRY_FORMAT} array of 8")
    _, chain, seq, _at, _actor, action, _subject, detail = fields
    if number(seq, "the entry's seq") != index + 1:
        raise Refused(f"the entry is number {seq}, not leaf {index} + 1")
    if not isinstance(chain, str) or ORIGIN_PREFIX + chain != checkpoint.origin:
        raise Refused(f"the entry belongs to the log of {chain!r}, the checkpoint is {checkpoint.origin}")
    check_inclusion(index, checkpoint.size, leaf_hash(entry.encode()), hashes(doc), checkpoint.root)
    receipt = None
    try:
        details = json.loads(detail) if isinstance(detail, str) else None
    except ValueError:
        details = None
    if isinstance(details, dict) and "receipt" in details:
        receipt = details["receipt"]
    if action == "ballot.cast" or receipt is not None:
        if not isinstance(receipt, str) or not re.fullmatch(r"[0-9a-f]{64}", receipt):
            raise Refused(f"the {action} entry's detail has no receipt of 64 hex digits")
    return checkpoint, action, receipt


def verify_consistency(doc: dict, old, new, log_keys: list, witness_keys=()):
    """`old` and `new` are signed notes; `old` may be None for the empty tree."""
    if doc.get("format") != CONSISTENCY_FORMAT:
        raise Refused(f"format is {doc.get('format')!r}")
    old_size = number(doc.get("old_size"), "old_size")
    new_size = number(doc.get("new_size"), "new_size")
    later = verify_checkpoint(new, log_keys, witness_keys)
    if old is None:
        if old_size != 0:
            raise Refused("no earlier checkpoint")
        earlier = Checkpoint(later.origin, 0, EMPTY_ROOT, [], [], 0)
    else:
        earlier = verify_checkpoint(old, log_keys, witness_keys)
    for c in (earlier, later):
        if c.origin != doc.get("origin"):
            raise Refused(f"a checkpoint of {c.origin}, the proof is of {doc.get('origin')!r}")
    if (old_size, new_size) != (earlier.size, later.size):
        raise Refused(f"the proof is from {old_size} to {new_size}, the checkpoints are {earlier.size} and {later.size}")
    check_consistency(earlier.size, later.size, earlier.root, later.root, hashes(doc))
    return earlier, later


# --- one sample directory ----------------------------------------------------------------------

def must_refuse(what: str, check, *args) -> None:
    try:
        check(*args)
    except Refused as e:
        print(f"  refused as it must: {what} ({e})")
        return
    raise SystemExit(f"FAIL: {what} was accepted")


def read_text(path: str) -> str:
    with open(path, "rb") as f:
        try:
            return f.read().decode("utf-8")
        except UnicodeDecodeError as e:
            raise SystemExit(f"FAIL: {path} is not UTF-8: {e}")


def read_keys(path: str) -> list:
    if not os.path.exists(path):
        return []
    try:
        return [VerifierKey(line.strip()) for line in read_text(path).splitlines() if line.strip()]
    except Refused as e:
        raise SystemExit(f"FAIL: {path}: {e}")


def foreign_key(name: str) -> VerifierKey:
    """A freshly made key under the same name: someone else's key claiming to be the log's."""
    raw = bytes([ED25519]) + Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return VerifierKey(f"{name}+{key_id(name, raw):08x}+{base64.b64encode(raw).decode()}")


def replace_line(note: str, n: int, new: str) -> str:
    lines = note.split("\n")
    lines[n] = new
    return "\n".join(lines)


def flip(raw: bytes, i: int = 0) -> bytes:
    changed = bytearray(raw)
    changed[i % len(changed)] ^= 0x01
    return bytes(changed)


def with_flipped_hash(doc: dict, i: int) -> dict:
    changed = dict(doc)
    changed["proof"] = list(doc["proof"])
    changed["proof"][i] = base64.b64encode(flip(base64.b64decode(doc["proof"][i]), 7)).decode()
    return changed


def flipped_root(note: str) -> str:
    root = note.split("\n")[2]
    return replace_line(note, 2, base64.b64encode(flip(base64.b64decode(root))).decode())


def describe(c: Checkpoint) -> str:
    text = f"size {c.size}, root {c.short()}, signed by the log"
    if c.witnesses:
        text += ", cosigned by " + ", ".join(k.name for k in c.witnesses)
    unknown = c.signatures - len(c.log_signers) - len(c.witnesses)
    if unknown:
        text += f" ({unknown} signature(s) of keys not listed, ignored)"
    return text


def check_dir(directory: str) -> int:
    """Checks one sample directory; returns the number of files that held."""
    log_keys = read_keys(os.path.join(directory, "keys.txt"))
    if not log_keys:
        raise SystemExit(f"FAIL: {directory}: no log key in keys.txt")
    witness_keys = read_keys(os.path.join(directory, "witness-keys.txt"))
    notes = {}
    for path in sorted(glob.glob(os.path.join(directory, "checkpoints", "*.txt"))):
        notes[os.path.basename(path)[:-4]] = (path, read_text(path))
    if not notes:
        raise SystemExit(f"FAIL: no checkpoint in {directory}/checkpoints")
    held = 0
    checkpoints = {}
    for name, (path, note) in sorted(notes.items(), key=lambda n: (len(n[0]), n[0])):
        try:
            c = verify_checkpoint(note, log_keys, witness_keys)
        except Refused as e:
            raise SystemExit(f"FAIL: {path}: {e}")
        if str(c.size) != name:
            raise SystemExit(f"FAIL: {path}: the checkpoint is of size {c.size}")
        checkpoints[c.size] = (note, c)
        held += 1
        print(f"ok: {path}: {c.origin} {describe(c)}")
        must_refuse("the checkpoint with its size changed", verify_checkpoint, replace_line(note, 1, str(c.size + 1)), log_keys)
        must_refuse("the checkpoint with its root changed", verify_checkpoint, flipped_root(note), log_keys)
        must_refuse("the checkpoint against a key from elsewhere", verify_checkpoint, note, [foreign_key(c.origin)])
        for w in c.witnesses:
            lines = note.split("\n")
            at = next(i for i, line in enumerate(lines) if line.startswith(f"{SIG_PREFIX}{w.name} "))
            sig = lines[at].rsplit(" ", 1)[1]
            broken = replace_line(note, at, f"{SIG_PREFIX}{w.name} {base64.b64encode(flip(base64.b64decode(sig), 9)).decode()}")
            must_refuse(f"a broken cosignature of {w.name}", verify_checkpoint, broken, log_keys, witness_keys)

    numbers = lambda path: [int(n) for n in re.findall(r"\d+", os.path.basename(path))]
    consistency = sorted(glob.glob(os.path.join(directory, "consistency-*.json")), key=numbers)
    for path in consistency:
        m = re.fullmatch(r"consistency-(\d+)-(\d+)\.json", os.path.basename(path))
        if not m:
            raise SystemExit(f"FAIL: {path}: the name is not consistency-OLD-NEW.json")
        old_size, new_size = int(m.group(1)), int(m.group(2))
        doc = json.loads(read_text(path))
        old = checkpoints.get(old_size, (None, None))[0]
        if new_size not in checkpoints or (old is None and old_size != 0):
            raise SystemExit(f"FAIL: {path}: no checkpoints/{old_size}.txt or checkpoints/{new_size}.txt")
        new = checkpoints[new_size][0]
        try:
            earlier, later = verify_consistency(doc, old, new, log_keys, witness_keys)
        except Refused as e:
            raise SystemExit(f"FAIL: {path}: {e}")
        held += 1
        print(f"ok: {path}: the tree of {later.size} ({later.short()}) extends the tree of {earlier.size} ({earlier.short()}), {len(doc['proof'])} hashes")
        proof = hashes(doc)
        for i in sorted({0, len(proof) - 1}) if proof else []:
            must_refuse(f"proof hash {i} with one byte flipped", verify_consistency, with_flipped_hash(doc, i), old, new, log_keys)
        if proof:
            shorter = dict(doc, proof=doc["proof"][:-1])
            must_refuse("the proof without its last hash", verify_consistency, shorter, old, new, log_keys)
        if 0 < earlier.size < later.size:
            others = [c.root for s, (_, c) in checkpoints.items() if s != earlier.size and c.root != earlier.root]
            other_root = others[0] if others else flip(earlier.root)
            must_refuse("the proof against a different earlier root (a rewritten history)", check_consistency, earlier.size, later.size, other_root, later.root, proof)
            must_refuse("the proof against a different later root", check_consistency, earlier.size, later.size, earlier.root, flip(later.root), proof)
        if old is not None:
            must_refuse("the earlier checkpoint with its root changed", verify_consistency, doc, flipped_root(old), new, log_keys)
        must_refuse("the checkpoints against a key from elsewhere", verify_consistency, doc, old, new, [foreign_key(later.origin)])

    inclusion = sorted(glob.glob(os.path.join(directory, "inclusion-*.json")), key=numbers)
    for path in inclusion:
        doc = json.loads(read_text(path))
        try:
            c, action, receipt = verify_inclusion(doc, log_keys, witness_keys)
        except Refused as e:
            raise SystemExit(f"FAIL: {path}: {e}")
        if c.size in checkpoints and checkpoints[c.size][1].root != c.root:
            raise SystemExit(f"FAIL: {path}: its checkpoint of size {c.size} has another root than checkpoints/{c.size}.txt: a split view")
        held += 1
        what = f"{action} receipt {receipt[:16]}…" if receipt else action
        print(f"ok: {path}: entry {doc['leaf_index'] + 1} ({what}) is in the tree of {c.size} ({c.short()}), {len(doc['proof'])} hashes")
        proof = hashes(doc)
        for i in sorted({0, len(proof) - 1}) if proof else []:
            must_refuse(f"proof hash {i} with one byte flipped", verify_inclusion, with_flipped_hash(doc, i), log_keys)
        entry = doc["entry"]
        if receipt:
            digit = "0" if receipt[-1] != "0" else "1"
            changed = entry.replace(receipt, receipt[:-1] + digit, 1)
            what = "the entry with another receipt"
        else:
            at = json.loads(entry)[3]
            changed = entry.replace(json.dumps(at), json.dumps(str(at)[:-1] + ("0" if str(at)[-1:] != "0" else "1")), 1)
            what = "the entry with another time"
        assert changed != entry
        must_refuse(what, verify_inclusion, dict(doc, entry=changed), log_keys)
        fields = json.loads(entry)
        fields[2] += 1
        must_refuse("the entry renumbered as the next leaf", verify_inclusion, dict(doc, entry=json.dumps(fields, ensure_ascii=False, separators=(",", ":")), leaf_index=doc["leaf_index"] + 1), log_keys)
        must_refuse("the proof against a different root", check_inclusion, doc["leaf_index"], c.size, leaf_hash(entry.encode()), proof, flip(c.root))
        must_refuse("its checkpoint with its size changed", verify_inclusion, dict(doc, checkpoint=replace_line(doc["checkpoint"], 1, str(c.size + 1))), log_keys)
        must_refuse("its checkpoint with its root changed", verify_inclusion, dict(doc, checkpoint=flipped_root(doc["checkpoint"])), log_keys)
        must_refuse("its checkpoint against a key from elsewhere", verify_inclusion, doc, [foreign_key(c.origin)])
    if not consistency and not inclusion:
        print(f"note: {directory} has no proof file, only checkpoints")
    return held


# --- self-test: a tree, a key and a sample directory of our own ------------------------------

def mth(leaves: list) -> bytes:
    """RFC 6962 §2.1 MTH over leaf data."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hash(leaves[0])
    k = 1 << ((n - 1).bit_length() - 1)  # the largest power of two smaller than n
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def audit_path(m: int, leaves: list) -> list:
    """RFC 6962 §2.1.1 PATH(m, D[n])."""
    n = len(leaves)
    if n == 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if m < k:
        return audit_path(m, leaves[:k]) + [mth(leaves[k:])]
    return audit_path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m: int, leaves: list, b: bool) -> list:
    """RFC 6962 §2.1.2 SUBPROOF(m, D[n], b)."""
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return subproof(m, leaves[:k], b) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


class Signer:
    def __init__(self, name: str):
        self.name, self.key = name, Ed25519PrivateKey.generate()
        raw = bytes([ED25519]) + self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.id = key_id(name, raw)
        self.vkey = f"{name}+{self.id:08x}+{base64.b64encode(raw).decode()}"

    def line(self, text: str) -> str:
        sig = self.id.to_bytes(4, "big") + self.key.sign(text.encode())
        return f"{SIG_PREFIX}{self.name} {base64.b64encode(sig).decode()}\n"


def self_test() -> None:
    # Known roots (the RFC 6962 test tree of the certificate-transparency reference code).
    ct = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43",
          b"\x50\x51\x52\x53\x54\x55\x56\x57", bytes(range(0x60, 0x70))]
    known = ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
             "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
             "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
             "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
             "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
             "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
             "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"]
    for n, root in enumerate(known, 1):
        if mth(ct[:n]).hex() != root:
            raise SystemExit(f"FAIL: self-test: the root of the reference tree of {n} is {mth(ct[:n]).hex()}")
    assert mth([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    h = {k: bytes.fromhex(v) for k, v in {
        "a": "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "b": "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "c": "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        "d": "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "e": "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "f": "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"}.items()}
    root = lambda n: bytes.fromhex(known[n - 1])
    # Reference proofs of that tree, checked by the RFC 9162 algorithms above (not by our prover).
    check_inclusion(0, 8, leaf_hash(ct[0]), [h["a"], h["b"], h["c"]], root(8))
    check_inclusion(5, 8, leaf_hash(ct[5]), [h["d"], h["e"], root(4)], root(8))
    check_consistency(1, 8, root(1), root(8), [h["a"], h["b"], h["c"]])
    check_consistency(6, 8, root(6), root(8), [h["f"], h["e"], root(4)])
    check_consistency(2, 5, root(2), root(5), [h["b"], h["d"]])
    must_refuse_quietly(check_inclusion, 0, 8, leaf_hash(ct[0]), [h["b"], h["a"], h["c"]], root(8))
    must_refuse_quietly(check_consistency, 6, 8, root(6), root(8), [h["e"], h["f"], root(4)])
    print("ok: self-test: the roots, and inclusion and consistency proofs, of the RFC 6962 reference tree of 1 to 8 leaves")

    # The signed-note example of Go's golang.org/x/mod/sumdb/note (its key id and signature).
    peter = VerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
    text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    note = text + "\n" + SIG_PREFIX + "PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    if verified_signers(note, [peter], True)[:2] != (text, [peter]):
        raise SystemExit("FAIL: self-test: the reference signed note")
    must_refuse_quietly(verified_signers, note.replace("cryptography", "Cryptography"), [peter], True)
    print("ok: self-test: the reference signed note of Go's sumdb/note")

    estate = "0190c0de-0000-7000-8000-00000000e57a"
    leaves = []
    for seq in range(1, 21):
        action = "ballot.cast" if seq % 3 == 0 else "item.created"
        detail = json.dumps({"receipt": hashlib.sha256(b"r%d" % seq).hexdigest()} if action == "ballot.cast" else {"title": "电梯更新 №%d" % seq}, ensure_ascii=False, separators=(",", ":"))
        fields = [ENTRY_FORMAT, estate, seq, f"2025-03-0{seq % 9 + 1}T08:00:{seq:02d}Z", "staff:s1", action, f"item:{seq}", detail]
        leaves.append(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode())
    proofs = 0
    for n in range(1, len(leaves) + 1):
        tree = leaves[:n]
        root = mth(tree)
        for i in range(n):
            path = audit_path(i, tree)
            check_inclusion(i, n, leaf_hash(tree[i]), path, root)
            must_refuse_quietly(check_inclusion, i, n, leaf_hash(tree[(i + 1) % n]) if n > 1 else leaf_hash(b"x"), path, root)
            if path:
                must_refuse_quietly(check_inclusion, i, n, leaf_hash(tree[i]), path[:-1], root)
                must_refuse_quietly(check_inclusion, i, n, leaf_hash(tree[i]), path + [root], root)
            proofs += 1
        for m in range(1, n + 1):
            proof = subproof(m, tree, True)
            check_consistency(m, n, mth(tree[:m]), root, proof)
            if m < n:
                rewritten = list(tree)
                rewritten[m - 1] = b"a changed ballot"
                must_refuse_quietly(check_consistency, m, n, mth(rewritten[:m]), root, proof)
                must_refuse_quietly(check_consistency, m, n, mth(tree[:m]), mth(rewritten), proof)
                must_refuse_quietly(check_consistency, m, n, mth(tree[:m]), root, proof[:-1])
            proofs += 1
    print(f"ok: self-test: {proofs} inclusion and consistency proofs of trees of 1 to 20 leaves, and their refusals")

    log, witness = Signer(ORIGIN_PREFIX + estate), Signer("witness.example/jwh")

    def checkpoint(n: int, cosigned: bool) -> str:
        text = f"{log.name}\n{n}\n{base64.b64encode(mth(leaves[:n])).decode()}\n"
        return text + "\n" + log.line(text) + (witness.line(text) if cosigned else "")

    b = lambda hs: [base64.b64encode(h).decode() for h in hs]
    with tempfile.TemporaryDirectory() as root:
        d = os.path.join(root, "self-test")
        os.makedirs(os.path.join(d, "checkpoints"))
        with open(os.path.join(d, "keys.txt"), "w") as f:
            f.write(log.vkey + "\n")
        with open(os.path.join(d, "witness-keys.txt"), "w") as f:
            f.write(witness.vkey + "\n")
        sizes = [0, 1, 6, 8, 13, 20]
        for n in sizes:
            with open(os.path.join(d, "checkpoints", f"{n}.txt"), "w") as f:
                f.write(checkpoint(n, n in (8, 20)))
        for old, new in zip(sizes, sizes[1:]):
            with open(os.path.join(d, f"consistency-{old}-{new}.json"), "w") as f:
                json.dump({"format": CONSISTENCY_FORMAT, "origin": log.name, "old_size": old, "new_size": new,
                           "proof": b(subproof(old, leaves[:new], True)) if old else []}, f)
        for i in (0, 5, 12):
            with open(os.path.join(d, f"inclusion-{i + 1}.json"), "w") as f:
                json.dump({"format": INCLUSION_FORMAT, "checkpoint": checkpoint(13, True), "leaf_index": i,
                           "entry": leaves[i].decode(), "proof": b(audit_path(i, leaves[:13]))}, f, ensure_ascii=False)
        check_dir(d)
        # A history rewritten with the log's own key: the kept checkpoint of 8 is no prefix of it.
        rewritten = list(leaves)
        rewritten[3] = rewritten[3].replace(b"08:00", b"09:00")
        text = f"{log.name}\n20\n{base64.b64encode(mth(rewritten)).decode()}\n"
        forged = text + "\n" + log.line(text)
        doc = {"format": CONSISTENCY_FORMAT, "origin": log.name, "old_size": 8, "new_size": 20,
               "proof": b(subproof(8, rewritten, True))}
        must_refuse("a history rewritten with the log's key, against the kept checkpoint of 8", verify_consistency,
                    doc, checkpoint(8, True), forged, [VerifierKey(log.vkey)])
    print("self-test: ok (the script agrees with itself; only the samples show it agrees with the server)")


def must_refuse_quietly(check, *args) -> None:
    try:
        check(*args)
    except Refused:
        return
    raise SystemExit(f"FAIL: self-test: {check.__name__}{args[:2]} accepted a wrong proof")


def main() -> None:
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    samples = os.path.join(repo, os.environ.get("CARGO_TARGET_DIR", "target"), "tmp", "log-sample")
    dirs = sys.argv[1:] or sorted(p for p in glob.glob(os.path.join(samples, "*")) if os.path.isdir(p))
    if not dirs:
        raise SystemExit(f"FAIL: no log sample found under {samples} (run the end-to-end tests first)")
    files = 0
    for directory in dirs:
        if not os.path.isdir(directory):
            raise SystemExit(f"FAIL: {directory} is not a directory")
        files += check_dir(directory)
    print(f"independent verification: {len(dirs)} sample(s), {files} file(s) ok")


if __name__ == "__main__":
    main()
