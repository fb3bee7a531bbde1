"""What a signer downloads: the document they accepted, with the record of their signature."""

from contributors.agreements.models import Acceptance, AgreementVersion


def document_filename(version: AgreementVersion, suffix: str = "") -> str:
    stem = "".join(c if c.isalnum() else "-" for c in version.agreement.title.lower()).strip("-") or "agreement"
    return f"{stem}-v{version.number}{suffix}"


def signed_copy_text(acceptance: Acceptance) -> str:
    version = acceptance.version
    lines = [
        f"# {acceptance.agreement.title}, version {acceptance.version_number}",
        "",
        f"Effective from {version.effective_on:%Y-%m-%d}.",
        "",
    ]
    if version.is_pdf:
        lines += [f"The document is the PDF {version.pdf.name.rsplit('/', 1)[-1]} (SHA-256 below).", ""]
    else:
        lines += [version.body, ""]
    lines += [
        "---",
        "",
        "Signed electronically",
        "",
        f"- Signature (typed full name): {acceptance.signature}",
        f"- Account: {acceptance.user.username}",
        f"- Accepted at: {acceptance.accepted_at.isoformat()}",
        f"- IP address: {acceptance.ip_address or 'unknown'}",
        f"- Browser: {acceptance.user_agent or 'unknown'}",
        f"- Document SHA-256: {acceptance.sha256}",
        "",
    ]
    return "\n".join(lines)
