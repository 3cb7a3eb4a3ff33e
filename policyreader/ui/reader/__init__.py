"""Reading one policy: the tab, the rendered view, outline, find and their layout."""
