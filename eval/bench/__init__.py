"""Benchmarks, not pass/fail: speed, start-up, scale, server memory, upload time (python -m eval.bench)."""
