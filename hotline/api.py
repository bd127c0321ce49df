"""The versioned JSON API: each app adds a router; its OpenAPI is /api/v1/openapi.json."""

from ninja import NinjaAPI

from hotline.intake.api import router as intake_router

api = NinjaAPI(
    title="Hotline API",
    version="1",
    description="Report web addresses to the hotline, in bulk with a source API key.",
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/", intake_router)
