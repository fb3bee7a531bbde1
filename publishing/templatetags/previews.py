"""The previews' text as a page shows it: line breaks kept, links clickable (Bluesky's from its facets,
since its visible words need not be the URL), HTML previews with outside images as links."""

from django import template
from django.utils.html import escape, format_html, urlize
from django.utils.safestring import SafeString, mark_safe

from drafts.rendering import LINK_REL, link_outside_images

register = template.Library()


@register.filter
def preview_body(preview: dict) -> SafeString:
    if preview.get("html"):
        return mark_safe(link_outside_images(preview["html"]))  # noqa: S308 - nh3-sanitised by drafts.rendering
    text = preview.get("text", "")
    facets = (preview.get("extra") or {}).get("facets")
    if facets:
        return _with_facets(text, facets)
    return mark_safe(urlize(escape(text), nofollow=True).replace("\n", "<br>"))  # noqa: S308 - escaped first


def _with_facets(text: str, facets: list[dict]) -> SafeString:
    data = text.encode("utf-8")
    out, at = [], 0
    for facet in sorted(facets, key=lambda f: f["index"]["byteStart"]):
        start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
        if start < at:
            continue
        out.append(escape(data[at:start].decode("utf-8", "replace")))
        words = data[start:end].decode("utf-8", "replace")
        feature = facet["features"][0]
        if feature.get("uri", "").startswith(("https://", "http://")):
            out.append(format_html('<a href="{}" rel="{}">{}</a>', feature["uri"], LINK_REL, words))
        else:
            out.append(format_html('<span class="preview-tag">{}</span>', words))
        at = end
    out.append(escape(data[at:].decode("utf-8", "replace")))
    return mark_safe("".join(str(part) for part in out).replace("\n", "<br>"))  # noqa: S308 - parts escaped
