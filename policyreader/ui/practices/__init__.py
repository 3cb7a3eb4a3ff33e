"""Data practices in the reader: highlights, legend, panel, summary card and corrections menu."""
