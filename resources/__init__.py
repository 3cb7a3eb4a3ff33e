"""Bundled data: icons, stylesheets, the detector lexicon and weights, sample policies."""
