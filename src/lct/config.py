"""One typed settings object, read from ``LCT_*`` environment variables (and the original's aliases)."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?|https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
STORE_SCHEMES = ("sqlite", "memory", "postgresql", "postgres", "mongodb", "mongodb+srv")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LCT_", extra="ignore", populate_by_name=True)

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    database_url: str = Field(
        "sqlite:///./lct.db", validation_alias=AliasChoices("LCT_DATABASE_URL", "Mongo__ConnectionString")
    )
    mongo_database: str = Field("lct", validation_alias=AliasChoices("LCT_MONGO_DATABASE", "Mongo__DatabaseName"))
    database_pool_size: int = Field(10, ge=1, le=1000)
    redis_url: str | None = None
    elasticsearch_url: str | None = Field(
        None, validation_alias=AliasChoices("LCT_ELASTICSEARCH_URL", "ElasticConfiguration__Uri")
    )
    log_shipping_queue_size: int = Field(20_000, ge=1, description="log documents held for Elasticsearch")
    log_shipping_batch_size: int = Field(500, ge=1, le=10_000, description="documents per _bulk request")
    environment: str = "Development"
    log_format: Literal["json", "console"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    shutdown_grace_seconds: float = Field(20.0, ge=0, le=600)
    notification_buffer_size: int = Field(10_000, ge=1)
    forwarded_allow_ips: str = "127.0.0.1"
    """Proxies whose X-Forwarded-* headers are trusted (comma-separated, or * behind a load balancer)."""
    hub_keepalive_seconds: float = Field(15.0, gt=0, le=15, description="server ping interval (SignalR: 15 s)")
    hub_client_timeout_seconds: float = Field(30.0, gt=0, le=600, description="drop a client silent this long")
    hub_send_buffer_bytes: int = Field(
        1024 * 1024, ge=4096, le=1 << 30, description="unsent bytes per hub connection before it is closed"
    )
    hub_clicks_per_second: float = Field(
        20.0, gt=0, le=1_000_000, description="hub invocations per second per connection (burst twice that)"
    )
    hub_connections_per_client: int = Field(
        100, ge=0, le=1_000_000, description="hub connections open at once per client address (0: no cap)"
    )
    hub_fast_path: bool = Field(True, description="write hub frames straight to uvicorn's sockets (server.py)")
    root_path: str = Field("", description="serve every route under this path prefix, e.g. /lct")
    public_url: str | None = Field(
        None, description="the address phones use (e.g. https://lct.example.org); default: found from the request"
    )
    api_v1: Literal["read-write", "read-only", "off"] = Field(
        "read-write", description="REST v1: all of it, reads only (writes answer 403), or off (404)"
    )
    rate_limit: float = Field(
        50.0, ge=0, le=1_000_000, description="REST writes per second per client address (burst twice that; 0: off)"
    )
    http_header_timeout_seconds: float = Field(
        10.0, gt=0, le=3600, description="close a connection that has not sent a complete request head by then"
    )
    cors_origins: str | None = Field(
        None, description="origins allowed cross-origin (comma list, or *); unset: any in Development, else none"
    )
    metrics_port: int | None = Field(None, ge=1, le=65535, description="serve /metrics on this port only")

    @field_validator("database_url")
    @classmethod
    def _known_store(cls, value: str) -> str:
        scheme = urlsplit(value).scheme
        if scheme not in STORE_SCHEMES:
            raise ValueError(f"unsupported scheme {scheme!r}; use one of {', '.join(STORE_SCHEMES)}")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value and urlsplit(value).scheme not in ("redis", "rediss", "unix"):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value or None

    @field_validator("elasticsearch_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError("must be an http:// or https:// URL")
        return value or None

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxies(cls, value: str) -> str:
        import ipaddress

        for item in (i.strip() for i in value.split(",")):
            if item and item != "*":
                try:
                    ipaddress.ip_network(item, strict=False)
                except ValueError:
                    raise ValueError(f"{item!r} is not an IP address or network (or *)") from None
        return value

    @field_validator("public_url")
    @classmethod
    def _public(cls, value: str | None) -> str | None:
        if value and (urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc):
            raise ValueError("must be an http:// or https:// URL, e.g. https://lct.example.org")
        return value.rstrip("/") if value else None

    @field_validator("root_path")
    @classmethod
    def _prefix(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and (not value.startswith("/") or not all(c.isalnum() or c in "/-_." for c in value)):
            raise ValueError("must be a path prefix like /lct (letters, digits, '/', '-', '_', '.')")
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, value: str | None) -> str | None:
        if value is None:
            return None
        for item in (i.strip() for i in value.split(",")):
            if item and item != "*" and not _ORIGIN.fullmatch(item.rstrip("/")):
                raise ValueError(f"{item!r} is not an origin such as https://lct.example.org (or *)")
        return value

    @field_validator("metrics_port", mode="before")
    @classmethod
    def _unset_port(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("metrics_port")
    @classmethod
    def _own_port(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and value == info.data.get("port"):
            raise ValueError("must differ from LCT_PORT")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def is_production(self) -> bool:
        return self.environment.lower() == "production"

    @property
    def cors_origin_list(self) -> tuple[str, ...]:
        """Allowed CORS origins, lower case without a trailing slash; ``("*",)`` for any."""
        if self.cors_origins is None:
            return () if self.is_production else ("*",)
        items = [i.strip().rstrip("/").lower() for i in self.cors_origins.split(",") if i.strip()]
        return ("*",) if "*" in items else tuple(items)

    @property
    def store_scheme(self) -> str:
        return urlsplit(self.database_url).scheme


def describe_error(error: Exception) -> str:
    """A one-line explanation of invalid settings, naming the environment variable."""
    from pydantic import ValidationError

    if not isinstance(error, ValidationError):
        return str(error)
    parts = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "?"
        name = field if "__" in field or field.startswith("LCT_") else f"LCT_{field.upper()}"
        parts.append(f"{name}: {item['msg']}")
    return "invalid settings: " + "; ".join(parts)
