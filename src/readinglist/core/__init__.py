"""The data layer: parsing, storage, search and export. Never imports Textual."""
