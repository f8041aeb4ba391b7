"""The user's tags: the editor, the tag filter, and the controller that saves them."""
