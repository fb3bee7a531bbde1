"""The API's request parsers (a module of its own: DRF's views read DEFAULT_PARSER_CLASSES when imported)."""

import codecs
import math

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

from cocreate.ids import MAX_ID, MIN_INTEGER


def _bounded_int(text: str) -> int:
    # No column holds more than a signed 64-bit integer: a bigger one is bad input, not a database error.
    value = int(text)
    if not MIN_INTEGER <= value <= MAX_ID:
        raise ValueError(f"Number out of range: {text[:40]}")
    return value


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"Number out of range: {text[:40]}")
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, but what it lets through as a 500 is a 400 too: documents nested deeper than
    Python's recursion limit, numbers like 1e999 that only fit a float as infinity, and integers past the
    signed 64-bit range that the database cannot store or compare."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            decoded_stream = codecs.getreader(encoding)(stream)
            parse_constant = json.strict_constant if self.strict else None
            return json.load(
                decoded_stream, parse_constant=parse_constant, parse_float=_finite_float, parse_int=_bounded_int
            )
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None


PARSER_CLASSES = [JSONParser, parsers.FormParser, parsers.MultiPartParser]
