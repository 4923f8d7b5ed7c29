"""The parts of serve.py (see serve.py at the repository root for the entry point)."""
