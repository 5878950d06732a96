"""The mobile web app served by the service itself: static files plus the routes in :mod:`lct.web.routes`."""
