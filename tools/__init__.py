"""Development tools (training, evaluation, corpus reading); not shipped with the application."""
