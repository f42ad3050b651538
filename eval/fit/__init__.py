"""Fitting the weights the library ships: the answer scorer and the passage reranker (python -m eval.fit)."""
