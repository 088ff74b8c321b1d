"""The importer: export files and official mail into the archive, one transaction per file."""
