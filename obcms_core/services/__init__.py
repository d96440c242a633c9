"""Use cases: plain values in, plain values (or DataFrames) out, one unit of work each."""
