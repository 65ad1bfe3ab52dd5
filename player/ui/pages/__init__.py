"""The centre pages: navigation, track lists and browse-by, the albums grid, Your listening."""
