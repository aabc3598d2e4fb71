"""Verify enveloped XML-DSig signatures (`<Reference URI="">`) against the key they carry.

Only what CAP producers use is supported: enveloped-signature with inclusive or exclusive
C14N 1.0 (C14N 1.1 is treated as 1.0: they differ only for xml:id/xml:base attributes, which CAP
documents do not use), SHA-1/SHA-2 digests, RSA PKCS#1 v1.5 and ECDSA. Anything else is
reported as "could not check", never as valid.

Whether the key is *trusted* is a separate question answered by the caller.
"""

from __future__ import annotations

import base64
import binascii
import copy
import functools
import hashlib
import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from lxml import etree

from pctt.cap.issues import line_of
from pctt.cap.model import DSIG_NS

V = TypeVar("V")

Outcome = Literal["valid", "digest_mismatch", "signature_mismatch", "unsupported"]

_DS = f"{{{DSIG_NS}}}"
SIGNATURE_TAG = _DS + "Signature"
_ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
_EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
_C14N_ALGORITHMS = {
    # algorithm URI → (exclusive, with_comments)
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315": (False, False),
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments": (False, True),
    "http://www.w3.org/2006/12/xml-c14n11": (False, False),
    "http://www.w3.org/2006/12/xml-c14n11#WithComments": (False, True),
    _EXC_C14N: (True, False),
    _EXC_C14N + "WithComments": (True, True),
}
_DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
_SIGNATURE_METHODS: dict[str, tuple[str, hashes.HashAlgorithm]] = {
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1": ("rsa", hashes.SHA1()),  # noqa: S303
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": ("rsa", hashes.SHA256()),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": ("rsa", hashes.SHA384()),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": ("rsa", hashes.SHA512()),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1": ("ecdsa", hashes.SHA1()),  # noqa: S303
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256": ("ecdsa", hashes.SHA256()),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": ("ecdsa", hashes.SHA384()),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": ("ecdsa", hashes.SHA512()),
}


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    outcome: Outcome
    line: int | None
    detail: str = ""
    # DER of the embedded X.509 certificate, so the caller can decide whether to trust it.
    certificate_der: bytes | None = None


class _Unsupported(Exception):
    pass


class _Altered(Exception):
    def __init__(self, outcome: Outcome, detail: str) -> None:
        super().__init__(detail)
        self.outcome: Outcome = outcome


# How the signed bytes may be rebuilt, strictest first. Real producers deviate from XML-DSig in
# two ways seen in the wild: parallel signatures each computed before any was added (Environment
# Canada/NAAD), and indentation plus an xml-stylesheet PI added after signing (wis2box).
# A signature that only verifies under a relaxed reading is reported with a warning saying which.
_READINGS = (
    ("", False, False),
    ("parallel signatures", True, False),
    ("re-formatted after signing (indentation, prolog)", False, True),
    ("parallel signatures, re-formatted after signing", True, True),
)


def signature_elements(alert_element: etree._Element) -> list[etree._Element]:
    return [child for child in alert_element if child.tag == SIGNATURE_TAG]


# With two signatures or more, the readings with and without the sibling signatures sign
# different bytes, so at most one of them can match: trying the parallel reading first (its
# digest is shared by all the signatures of an alert) gives the same outcome with less work.
_READINGS_PARALLEL_FIRST = (_READINGS[1], _READINGS[0], _READINGS[3], _READINGS[2])

# Digests of the parallel readings, shared by the signatures of one alert (see check_signature).
SharedDigests = dict[tuple[bool, bool, tuple[str, ...], str], bytes]


def check_signature(
    signature: etree._Element, *, shared: SharedDigests | None = None
) -> SignatureCheck:
    """Verify one enveloped signature; never raises for bad input.

    `shared`, when given, must be the same dict for every signature of one alert (and only for
    them): the digest of the document without all its signatures is then computed once.
    """
    line = line_of(signature)
    try:
        parent = signature.getparent()
        alone = parent is None or len(signature_elements(parent)) < 2
        expected = _expected_digests(signature)
        stripped: etree._Element | None = None
        for note, remove_siblings, strip_blank in _READINGS if alone else _READINGS_PARALLEL_FIRST:
            if remove_siblings and alone:
                continue  # same bytes as the reading without siblings
            if strip_blank:
                stripped = _stripped_copy(signature) if stripped is None else stripped
                subject = stripped
            else:
                subject = signature
            memo = shared if remove_siblings else None
            if _digests_match(
                subject, expected, remove_siblings, whole_document=not strip_blank, memo=memo
            ):
                return _verify_value(subject, line, note)
        return SignatureCheck("digest_mismatch", line)
    except _Unsupported as reason:
        return SignatureCheck("unsupported", line, str(reason))
    except _Altered as altered:
        return SignatureCheck(altered.outcome, line, str(altered))
    except (binascii.Error, ValueError, TypeError, etree.LxmlError) as error:
        # Bad base64, a key the library refuses, c14n failure: unreadable, so unverified.
        return SignatureCheck("unsupported", line, f"{type(error).__name__}: {error}")


def _verify_value(signature: etree._Element, line: int | None, note: str) -> SignatureCheck:
    signed_info = _find(signature, "SignedInfo")
    signature_value = _find(signature, "SignatureValue")
    assert signed_info is not None and signature_value is not None  # checked by _digests_match
    certificate_der, public_key = _public_key(signature)
    kind, hash_algorithm = _lookup(
        _SIGNATURE_METHODS, _algorithm(signed_info, "SignatureMethod"), "signature method"
    )
    exclusive, with_comments = _lookup(
        _C14N_ALGORITHMS, _algorithm(signed_info, "CanonicalizationMethod"), "canonicalization"
    )
    apex = signed_info if exclusive else _standalone(signed_info)
    signed_bytes = _canonical(apex, exclusive, with_comments, _prefixes(signed_info))
    value = _canonical_base64(signature_value.text, "SignatureValue", "signature_mismatch")
    try:
        if kind == "rsa" and isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(value, signed_bytes, padding.PKCS1v15(), hash_algorithm)
        elif kind == "ecdsa" and isinstance(public_key, ec.EllipticCurvePublicKey):
            half = len(value) // 2  # XML-DSig ECDSA values are raw r || s
            der = encode_dss_signature(
                int.from_bytes(value[:half], "big"), int.from_bytes(value[half:], "big")
            )
            public_key.verify(der, signed_bytes, ec.ECDSA(hash_algorithm))
        else:
            raise _Unsupported(f"{kind} signature with a {type(public_key).__name__}")
    except InvalidSignature:
        return SignatureCheck("signature_mismatch", line, note, certificate_der)
    return SignatureCheck("valid", line, note, certificate_der)


def _standalone(element: etree._Element) -> etree._Element:
    """The element as its own document, every in-scope namespace declared on it.

    libxml2's inclusive C14N of a subtree emits spurious xmlns="" on descendants; canonicalising
    a standalone copy gives what XML-DSig specifies.
    """
    nsmap: Any = element.nsmap  # lxml-stubs does not allow the None (default) prefix
    apex = etree.Element(
        element.tag, attrib={str(k): str(v) for k, v in element.attrib.items()}, nsmap=nsmap
    )
    apex.text = element.text
    for child in element:
        apex.append(copy.deepcopy(child))
    return apex


Expected = list[tuple[bool, tuple[str, ...], str, bytes]]


def _expected_digests(signature: etree._Element) -> Expected:
    signed_info = _find(signature, "SignedInfo")
    if signed_info is None or _find(signature, "SignatureValue") is None:
        raise _Unsupported("incomplete ds:Signature (no SignedInfo or SignatureValue)")
    references = _find_all(signed_info, "Reference")
    if not references:
        raise _Unsupported("ds:SignedInfo has no Reference")
    return [_expected_digest(reference) for reference in references]


def _digests_match(
    signature: etree._Element,
    expected: Expected,
    remove_siblings: bool,
    *,
    whole_document: bool,
    memo: SharedDigests | None = None,
) -> bool:
    parent = signature.getparent()
    assert parent is not None
    removed = signature_elements(parent) if remove_siblings else [signature]
    # Whole document: top-level PIs and comments are signed too. Root only: lxml would still
    # canonicalise a root element with its sibling PIs, but a copied element (the only kind
    # passed here with whole_document=False) has none.
    signed: etree._Element | etree._ElementTree = (
        signature.getroottree() if whole_document else signature.getroottree().getroot()
    )
    for exclusive, prefixes, digest_name, digest_value in expected:
        key = (whole_document, exclusive, prefixes, digest_name)
        digest = memo.get(key) if memo is not None else None
        if digest is None:
            # The signatures are taken out of the tree itself (no copy of the document) and
            # put back.
            with _taken_out(removed):
                canonical = _canonical(signed, exclusive, False, prefixes)
            digest = hashlib.new(digest_name, canonical).digest()
            if memo is not None:
                memo[key] = digest
        if not hmac.compare_digest(digest, digest_value):
            return False
    return True


@contextmanager
def _taken_out(targets: list[etree._Element]) -> Iterator[None]:
    """Remove `targets` (siblings, in document order) keeping their tails; restore on exit."""
    parent = targets[0].getparent()
    assert parent is not None
    saved_text = parent.text
    saved_tails = [(node, node.tail) for node in parent]
    places = [(parent.index(target), target) for target in targets]
    try:
        for _, target in reversed(places):
            _remove_keeping_tail(target)
        yield
    finally:
        for index, target in places:
            if target.getparent() is None:
                parent.insert(index, target)
        parent.text = saved_text
        for node, tail in saved_tails:
            node.tail = tail


def _expected_digest(reference: etree._Element) -> tuple[bool, tuple[str, ...], str, bytes]:
    uri = reference.get("URI")
    if uri != "":
        raise _Unsupported(f"Reference URI={uri!r} (only whole-document signatures are checked)")
    exclusive: bool = False
    prefixes: tuple[str, ...] = ()
    transforms = _find_all(reference, "Transforms", "Transform")
    if _ENVELOPED not in [transform.get("Algorithm") for transform in transforms]:
        raise _Unsupported("Reference without the enveloped-signature transform")
    for transform in transforms:
        algorithm = transform.get("Algorithm")
        if algorithm != _ENVELOPED:
            # A same-document reference never includes comments (XML-DSig §4.4.3.3).
            exclusive, _ = _lookup(_C14N_ALGORITHMS, algorithm, "transform")
            prefixes = _prefixes(transform)
    digest_name = _lookup(_DIGESTS, _algorithm(reference, "DigestMethod"), "digest method")
    digest_value = _canonical_base64(
        _find_text(reference, "DigestValue"), "DigestValue", "digest_mismatch"
    )
    return exclusive, prefixes, digest_name, digest_value


def _stripped_copy(signature: etree._Element) -> etree._Element:
    """The signature inside a copy of its document with whitespace-only text removed."""
    top = copy.deepcopy(signature.getroottree().getroot())
    for element in top.iter():
        if element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    return _same_node(top, signature)


def _same_node(top: etree._Element, original: etree._Element) -> etree._Element:
    """The element of the copy `top` at the place `original` holds in its own tree."""
    indexes = []
    node = original
    while (parent := node.getparent()) is not None:
        indexes.append(parent.index(node))
        node = parent
    target = top
    for index in reversed(indexes):
        target = target[index]
    return target


def _remove_keeping_tail(target: etree._Element) -> None:
    parent = target.getparent()
    assert parent is not None
    # The text after the signature is not part of it and stays in the signed data.
    previous = target.getprevious()
    if target.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + target.tail
        else:
            parent.text = (parent.text or "") + target.tail
    parent.remove(target)


def _canonical(
    node: etree._Element | etree._ElementTree,
    exclusive: bool,
    with_comments: bool,
    prefixes: tuple[str, ...],
) -> bytes:
    return etree.tostring(
        node,
        method="c14n",
        exclusive=exclusive,
        with_comments=with_comments,
        inclusive_ns_prefixes=list(prefixes) or None,
    )


def _prefixes(parent: etree._Element) -> tuple[str, ...]:
    for child in parent.iter("{http://www.w3.org/2001/10/xml-exc-c14n#}InclusiveNamespaces"):
        return tuple((child.get("PrefixList") or "").split())
    return ()


def _public_key(
    signature: etree._Element,
) -> tuple[bytes | None, rsa.RSAPublicKey | ec.EllipticCurvePublicKey]:
    certificate_text = _find_text(signature, "KeyInfo", "X509Data", "X509Certificate")
    if certificate_text:
        return _certificate(certificate_text)
    rsa_value = _find(signature, "KeyInfo", "KeyValue", "RSAKeyValue")
    if rsa_value is not None:
        modulus = _base64_int(_find_text(rsa_value, "Modulus"))
        exponent = _base64_int(_find_text(rsa_value, "Exponent"))
        return None, rsa.RSAPublicNumbers(exponent, modulus).public_key()
    raise _Unsupported("no X509Certificate or RSAKeyValue in KeyInfo")


@functools.lru_cache(maxsize=64)
def _certificate(text: str) -> tuple[bytes, rsa.RSAPublicKey | ec.EllipticCurvePublicKey]:
    """DER and public key of a base64 certificate; a producer signs every message with one."""
    der = base64.b64decode("".join(text.split()), validate=True)
    key = x509.load_der_x509_certificate(der).public_key()
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise _Unsupported(f"certificate key type {type(key).__name__}")
    return der, key


def _canonical_base64(text: str | None, what: str, outcome: Outcome) -> bytes:
    """Decode, refusing encodings with non-zero padding bits.

    Changing the last character of a base64 value may only flip padding bits, which lenient
    decoders ignore: the wis2box "tampered" samples are exactly that edit. A signer never
    produces such text, so it means the value was altered.
    """
    encoded = "".join((text or "").split())
    value = base64.b64decode(encoded, validate=True)
    if base64.b64encode(value).decode("ascii") != encoded:
        raise _Altered(outcome, f"{what} is not canonical base64 (altered after signing)")
    return value


def _base64_int(text: str | None) -> int:
    return int.from_bytes(base64.b64decode("".join((text or "").split()), validate=True), "big")


def _algorithm(parent: etree._Element, name: str) -> str | None:
    element = _find(parent, name)
    return None if element is None else element.get("Algorithm")


# ElementPath's find/findall/findtext for plain child paths, without its per-call overhead.
def _find_all(parent: etree._Element, *names: str) -> list[etree._Element]:
    """Every element at the path of XML-DSig child names, in document order."""
    tag = _DS + names[0]
    found = [child for child in parent if child.tag == tag]
    if len(names) == 1:
        return found
    return [element for child in found for element in _find_all(child, *names[1:])]


def _find(parent: etree._Element, *names: str) -> etree._Element | None:
    found = _find_all(parent, *names)
    return found[0] if found else None


def _find_text(parent: etree._Element, *names: str) -> str | None:
    element = _find(parent, *names)
    return None if element is None else element.text or ""


def _lookup(table: dict[str, V], algorithm: str | None, what: str) -> V:
    if algorithm is None or algorithm not in table:
        raise _Unsupported(f"{what} {algorithm!r} is not supported")
    return table[algorithm]
