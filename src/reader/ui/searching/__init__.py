"""Search as you type: the search bar and the controller that runs the queries."""
