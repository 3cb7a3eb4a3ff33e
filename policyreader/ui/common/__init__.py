"""Small pieces every feature shares: the task runner and the theme."""
