"""The HTTP face of LASHI (FastAPI): thin routes over lashi.cases.service and lashi.workflow."""
from .app import create_app

__all__ = ["create_app"]
