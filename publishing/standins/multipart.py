"""Reading a multipart/form-data body the way a platform does, for the stand-ins that take file uploads."""

from dataclasses import dataclass


@dataclass
class Part:
    name: str
    data: bytes
    filename: str | None = None
    content_type: str | None = None

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


def parse_multipart(content_type: str, body: bytes) -> dict[str, Part]:
    """The parts by field name; empty when the body is not multipart/form-data with a boundary."""
    kind, _, params = (content_type or "").partition(";")
    if kind.strip().lower() != "multipart/form-data":
        return {}
    boundary = ""
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "boundary":
            boundary = value.strip('"')
    if not boundary:
        return {}
    parts = {}
    for chunk in body.split(b"--" + boundary.encode())[1:]:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = _params(headers.get("content-disposition", ""))
        name = disposition.get("name")
        if name is None:
            continue
        parts[name] = Part(
            name=name,
            data=data.removesuffix(b"\r\n"),
            filename=disposition.get("filename"),
            content_type=headers.get("content-type"),
        )
    return parts


def _params(header: str) -> dict[str, str]:
    params = {}
    for item in header.split(";")[1:]:
        key, _, value = item.strip().partition("=")
        params[key.lower()] = value.strip('"')
    return params
