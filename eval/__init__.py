"""Evaluation of the assistant on gold questions: retrieval, answer and no-answer measures, reports, benchmarks."""
