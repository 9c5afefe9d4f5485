"""Content Credentials (C2PA) for approved file drafts: the certificate chain the platform's Ed25519 key signs with,
and the C2PA manifest definition made from a contribution's signed Atelier manifest. Pure: no ORM, no C2PA library.

C2PA signs with an X.509 certificate, not a bare key. A deployment can bring a chain issued by a CA on the C2PA
trust list (`C2PA_CERTIFICATE_CHAIN`); otherwise the platform issues its own: a root made once per signing key and
thrown away after it signs one end-entity certificate for the platform's key. Verifiers that are handed that root
as a trust anchor (dataset versions ship it in `keys.json`) see the credential as trusted; others see it as valid
but from an unknown signer, which is the truth.

The embedded manifest holds:
- `c2pa.actions`: the draft was created, with the IPTC digital source type its creator declared, and the declared
  tools as software agents;
- `cawg.training-mining`: the creator's training-use terms, one entry per use;
- `org.atelier.provenance`: which record, draft and Atelier manifest this is, with the sha256 of the original bytes
  (the hash the Ed25519-signed manifest and the record hold), so the credentialed copy links to the signed chain.
"""

from __future__ import annotations

import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from annotations.domain.provenance import IPTC

ASSERTION = "org.atelier.provenance"
CLAIM_GENERATOR = "Atelier"
# The C2PA library reads and writes these containers; anything else keeps its signed Atelier manifest only.
EMBEDDABLE = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/gif",
        "image/tiff",
        "image/avif",
        "image/heic",
        "image/heif",
        "image/svg+xml",
        "audio/wav",
        "audio/x-wav",
        "audio/wave",
        "audio/vnd.wave",
        "audio/mpeg",
        "audio/mp3",
        "audio/flac",
        "audio/mp4",
        "video/mp4",
        "video/quicktime",
        "video/x-msvideo",
        "video/avi",
        "application/pdf",
    }
)
CAWG_USES = {
    "ai_training": "cawg.ai_training",
    "ai_generative_training": "cawg.ai_generative_training",
    "data_mining": "cawg.data_mining",
    "ai_inference": "cawg.ai_inference",
}


def embeddable(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() in EMBEDDABLE


def _name(common: str) -> x509.Name:
    return x509.Name(
        [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Atelier"), x509.NameAttribute(NameOID.COMMON_NAME, common)]
    )


def _usage(*, sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not sign,
        crl_sign=not sign,
        encipher_only=False,
        decipher_only=False,
    )


def issue_chain(public: Ed25519PublicKey, key_id: str, now: datetime.datetime, years: int = 10) -> tuple[str, str]:
    """A two-certificate chain for `public`: (signer + root PEM, root PEM). The root's key is made here and
    dropped when this returns, so nothing else can ever be issued under it."""
    root_key = Ed25519PrivateKey.generate()
    root_name = _name(f"Atelier provenance root {key_id}")
    start, end = now - datetime.timedelta(days=1), now + datetime.timedelta(days=365 * years)
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, None)
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(f"Atelier provenance signer {key_id}"))
        .issuer_name(root_name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(sign=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(root_key, None)
    )
    root_pem = root.public_bytes(Encoding.PEM).decode()
    return leaf.public_bytes(Encoding.PEM).decode() + root_pem, root_pem


def chain_matches(chain_pem: str, public: Ed25519PublicKey) -> bool:
    """Whether the chain's first certificate is for this key (a configured chain must be the signing key's)."""
    try:
        leaf = x509.load_pem_x509_certificates(chain_pem.encode())[0]
    except (ValueError, IndexError):
        return False
    return leaf.public_key() == public


def definition(*, manifest: dict[str, Any], manifest_sha256: str, sequence: int, title: str) -> dict[str, Any]:
    """The C2PA manifest definition for draft `sequence` of the contribution the signed `manifest` describes."""
    draft = next(d for d in manifest["drafts"] if d["sequence"] == sequence)
    source = str(draft.get("source_type") or IPTC + "digitalCreation")
    action: dict[str, Any] = {"action": "c2pa.created", "digitalSourceType": source}
    if draft.get("tools"):
        action["softwareAgent"] = {"name": ", ".join(str(t) for t in draft["tools"])}
    terms = manifest.get("training_terms") or {}
    return {
        "claim_generator_info": [{"name": CLAIM_GENERATOR, "version": "1"}],
        "title": title,
        "assertions": [
            {"label": "c2pa.actions", "data": {"actions": [action]}},
            {
                "label": "cawg.training-mining",
                "data": {
                    "entries": {CAWG_USES[use]: {"use": choice} for use, choice in terms.items() if use in CAWG_USES}
                },
            },
            {
                "label": ASSERTION,
                "data": {
                    "record_id": manifest["record_id"],
                    "draft_sequence": sequence,
                    "original_sha256": draft["content_sha256"],
                    "chain_sha256": draft["chain_sha256"],
                    "manifest_sha256": manifest_sha256,
                    "key_id": manifest["signer"]["key_id"],
                },
            },
        ],
    }


def check_embedded(
    assertion: dict[str, Any] | None,
    state: str | None,
    manifest: dict[str, Any],
    sequence: int,
    *,
    require_trust: bool,
) -> list[str]:
    """What does not hold for a credentialed copy of draft `sequence`, given what a C2PA reader found in it. With
    the platform's trust anchors at hand, a copy re-signed by anyone else is refused."""
    if state not in (("Trusted",) if require_trust else ("Valid", "Trusted")):
        return [f"its C2PA manifest does not validate ({state or 'none found'})"]
    if assertion is None:
        return ["its C2PA manifest has no Atelier provenance assertion"]
    draft = next((d for d in manifest.get("drafts", []) if d.get("sequence") == sequence), None)
    if (
        draft is None
        or assertion.get("record_id") != manifest.get("record_id")
        or assertion.get("original_sha256") != draft.get("content_sha256")
        or assertion.get("chain_sha256") != draft.get("chain_sha256")
    ):
        return ["its C2PA manifest names another record or draft"]
    return []
