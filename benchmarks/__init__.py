"""Benchmarks and evaluation data: a synthetic, labelled corpus of fictional reviews (`corpus`)."""
