"""The store: the embedded DuckDB workspace (default) and loading with quarantine."""
from .load import FileResult, LoadReport, discover, load_directory, load_files
from .readers import InputError
from .workspace import DB_FILE, Workspace, open_workspace

__all__ = ["Workspace", "open_workspace", "DB_FILE", "load_directory", "load_files", "discover",
           "LoadReport", "FileResult", "InputError"]
