"""The window around the features: main window, actions, tab area, dialogs, settings, single instance."""
