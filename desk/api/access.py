"""What a route needs before it runs, declared with `access(...)` in its `opt`.

- `public=True`: no session needed;
- `admin=True`: admins only;
- `exists={"agent_id": fn}`: `fn(desk, value)` says whether the path id exists (else 404);
- `upload_limit=N`: the body is a `multipart/form-data` upload of at most N bytes (instead of
  JSON within the general limit); `csv_limit=N`: a `text/csv` body of at most N bytes.
- `widget=WidgetRoute(...)`: a /widget/ route, which `api.widget`'s guard checks in its own
  order (API.md: 404, 403, 401, 429, 400), body rules included.

Controllers set it for all their routes and a route adds to it (`opt=access(admin=True)` on
one route of a controller whose `opt` names `exists`): Litestar merges the keys. The checks
(desk/api/security.py) read it back with `Access.of(handler.opt)`. `check_routes` runs when
the app is built and refuses an `opt` key the checks would not read, or an `exists` entry that
names no path parameter, so a misspelt key fails at start instead of silently dropping a
check; `check_hook` refuses a route that would not run the checks at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from litestar import Litestar
from litestar.routes import HTTPRoute

from desk.services.desk import Desk

ExistsCheck = Callable[[Desk, Any], bool]
KEYS = frozenset({"public", "admin", "exists", "upload_limit", "csv_limit", "widget"})


@dataclass(frozen=True)
class WidgetRoute:
    """What a visitor route needs: a visitor token, and which rate limit it counts against."""

    visitor: bool = True
    limit: Literal["messages", "visitors"] | None = None


def access(
    *,
    public: bool = False,
    admin: bool = False,
    exists: Mapping[str, ExistsCheck] | None = None,
    upload_limit: int = 0,
    csv_limit: int = 0,
    widget: WidgetRoute | None = None,
) -> dict[str, Any]:
    """A route's `opt`: only the keys given, so Litestar's layering merges them."""
    opt: dict[str, Any] = {}
    if upload_limit:
        opt["upload_limit"] = upload_limit
    if csv_limit:
        opt["csv_limit"] = csv_limit
    if public:
        opt["public"] = True
    if admin:
        opt["admin"] = True
    if exists:
        opt["exists"] = dict(exists)
    if widget is not None:
        opt["widget"] = widget
    return opt


@dataclass(frozen=True)
class Access:
    public: bool = False
    admin: bool = False
    exists: Mapping[str, ExistsCheck] = field(default_factory=dict)
    upload_limit: int = 0
    csv_limit: int = 0
    widget: WidgetRoute | None = None

    @classmethod
    def of(cls, opt: Mapping[str, Any]) -> Access:
        return cls(
            public=bool(opt.get("public")),
            admin=bool(opt.get("admin")),
            exists=opt.get("exists") or {},
            upload_limit=int(opt.get("upload_limit") or 0),
            csv_limit=int(opt.get("csv_limit") or 0),
            widget=opt.get("widget"),
        )


class RouteAccessError(Exception):
    """A route's `opt` says something the checks would not act on."""


def _check_opt(where: str, opt: Mapping[str, Any]) -> Access:
    unknown = sorted(set(opt) - KEYS)
    if unknown:
        raise RouteAccessError(f"{where}: unknown opt key(s) {unknown}; use access(...)")
    for key in ("public", "admin"):
        if not isinstance(opt.get(key, False), bool):
            raise RouteAccessError(f"{where}: opt[{key!r}] must be True or False")
    for key in ("upload_limit", "csv_limit"):
        limit = opt.get(key, 0)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise RouteAccessError(f"{where}: opt[{key!r}] must be a number of bytes")
    exists = opt.get("exists", {})
    if not isinstance(exists, Mapping) or not all(callable(check) for check in exists.values()):
        raise RouteAccessError(f"{where}: opt['exists'] must map path parameters to checks")
    if not isinstance(opt.get("widget", WidgetRoute()), WidgetRoute):
        raise RouteAccessError(f"{where}: opt['widget'] must be a WidgetRoute")
    found = Access.of(opt)
    if found.widget is not None and not found.public:
        raise RouteAccessError(f"{where}: a widget route is public (visitors have no session)")
    if found.public and found.admin:
        raise RouteAccessError(f"{where}: a route cannot be both public and admin-only")
    return found


def check_routes(app: Litestar) -> None:
    """Refuse, at start, route options the checks would silently ignore."""
    matched: dict[str, bool] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            found = _check_opt(route.path, handler.opt)
            for param in found.exists:
                matched[param] = matched.get(param, False) or param in route.path_parameters
    unmatched = sorted(param for param, seen in matched.items() if not seen)
    if unmatched:
        raise RouteAccessError(f"opt['exists'] names no path parameter of its routes: {unmatched}")


def check_hook(app: Litestar, hook: Callable[..., Any]) -> None:
    """Refuse, at start, a route that would not run the checks (`hook`, the app's
    `before_request`): one that is not an HTTP route, or whose layer sets its own
    `before_request` (Litestar runs only the closest layer's)."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            raise RouteAccessError(f"{route.path}: not an HTTP route, so no access checks")
        for handler in route.route_handlers:
            if handler.resolve_before_request() is not hook:
                raise RouteAccessError(f"{route.path}: its own before_request skips the checks")
