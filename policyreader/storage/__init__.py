"""Local SQLite storage of what the reader creates: notes, corrections, the library."""
