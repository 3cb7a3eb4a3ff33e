"""Data-practice detection: taxonomy, sentence spans, rules, model and their union."""
