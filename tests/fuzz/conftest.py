"""The fuzz suite (tests/fuzz): Hypothesis over every reader and the CLI. ``make test`` runs the
short ``ci`` profile; ``HYPOTHESIS_PROFILE=nightly`` runs thousands of examples per test
(docs/testing.md). The profiles are registered in tests/conftest.py."""
