"""The timeline in the window (issue 20): recording runs, the scrub bar, Train from here."""
