"""Benchmarks: ``python -m benchmarks.http`` (REST scenarios under wrk); see docs/benchmarks.md."""
