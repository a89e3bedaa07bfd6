"""Hardened XML parsing: every model file passes here before any other parser sees it.

Entity expansion (billion laughs), external DTDs and network access are refused outright, and
files that are too large or too deeply nested are refused before they reach SpiffWorkflow's own
parser, which is not hardened.
"""

from __future__ import annotations

from lxml import etree

from app.workflow.errors import UnsafeXml

MAX_DEPTH = 64


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_model_xml(content: bytes, *, max_bytes: int) -> etree._Element:
    """Parse an uploaded BPMN or DMN file safely, or raise `UnsafeXml` with a clerk's message."""
    if len(content) > max_bytes:
        raise UnsafeXml(f"Tệp quá lớn ({len(content)} byte), giới hạn {max_bytes} byte.")
    head = content[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in content.upper():
        raise UnsafeXml("Tệp có khai báo DOCTYPE/ENTITY: không được phép vì lý do an toàn.")
    try:
        root = etree.fromstring(content, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise UnsafeXml(f"Tệp không phải XML hợp lệ: {exc}") from exc
    if _depth(root) > MAX_DEPTH:
        raise UnsafeXml(f"Tệp lồng nhau quá sâu (quá {MAX_DEPTH} cấp).")
    return root


def _depth(root: etree._Element) -> int:
    deepest = 0
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            return depth
        stack.extend((child, depth + 1) for child in node)
    return deepest
