"""Stage 1 of the pipeline: a contract file becomes a Document with positions and sentences."""

from policycheck.document.load import CONTRACT_SUFFIXES, document_from_text, load_document
from policycheck.document.model import Document, Segment, Span

__all__ = ["CONTRACT_SUFFIXES", "Document", "Segment", "Span", "document_from_text", "load_document"]
