"""Encoding passages and questions: the sentence-transformers embedder, the ONNX encoder and its export."""
