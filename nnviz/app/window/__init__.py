"""The window's frame: the main window, its menus, dialogs, status bar, languages, welcome and the
frame drawer that paints one snapshot in every view."""
