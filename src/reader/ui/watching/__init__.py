"""The live folder: the folder watched while the app is open, its changes shown in the list."""
