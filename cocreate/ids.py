"""The range of an object's id: positive, within the signed 64-bit integer every id column is.

An id outside it names no object; input that carries one is refused as bad input (400, or 404 in a
path) before the database driver sees it and fails with an overflow (a 500).
"""

MAX_ID = 2**63 - 1
MIN_INTEGER = -(2**63)
