"""Question answering over the report index: retrieval, extractive answers and the chat."""

from .assistant import Assistant, Chat
from .retriever import RetrievalConfig, Retriever
from .types import Answer, Citation, Hit, Variant

__version__ = "0.2.0"

__all__ = [
    "Answer",
    "Assistant",
    "Chat",
    "Citation",
    "Hit",
    "RetrievalConfig",
    "Retriever",
    "Variant",
    "__version__",
]
