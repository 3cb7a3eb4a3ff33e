"""One reader per source format; each turns decoded text into a ``SourceParse``."""
