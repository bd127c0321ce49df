"""The versioned JSON API: each app adds a router; its OpenAPI is /api/v1/openapi.json."""

from ninja import NinjaAPI

from hotline.intake.api import router as intake_router
from hotline.lists.api import router as lists_router
from hotline.lists.match_api import router as match_router

api = NinjaAPI(
    title="Hotline API",
    version="1",
    description="Report web addresses to the hotline, in bulk with a source API key.",
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/", intake_router)
api.add_router("/", lists_router)
api.add_router("/", match_router)
