"""Demo accounts, one per role, created by ``petitions demo`` and the web tests."""
from __future__ import annotations

from typing import Any

from domain.actor import Role
from petitions.users.store import UserStore

DEMO_PASSWORD = "demo-password"
DEMO_USERS: tuple[dict[str, Any], ...] = (
    {"username": "thu.ky", "role": Role.SECRETARIAT, "display_name": "Văn phòng Đoàn ĐBQH và HĐND TP"},
    {"username": "can.bo.ba.dinh", "role": Role.DISTRICT_STAFF, "district": "ba-dinh",
     "display_name": "Cán bộ quận Ba Đình"},
    {"username": "can.bo.hoan.kiem", "role": Role.DISTRICT_STAFF, "district": "hoan-kiem",
     "display_name": "Cán bộ quận Hoàn Kiếm"},
    # Staff of a ward and of a commune of today (since 1 July 2025).
    {"username": "can.bo.phuong.ba.dinh", "role": Role.DISTRICT_STAFF, "district": "00004",
     "display_name": "Cán bộ phường Ba Đình"},
    {"username": "can.bo.xa.dong.anh", "role": Role.DISTRICT_STAFF, "district": "00454",
     "display_name": "Cán bộ xã Đông Anh"},
    {"username": "so.xay.dung", "role": Role.AGENCY_STAFF, "agency": "so-xay-dung",
     "display_name": "Sở Xây dựng"},
    {"username": "dai.bieu", "role": Role.DEPUTY, "deputy_group": "to-01",
     "display_name": "Đại biểu HĐND Thành phố"},
    {"username": "admin", "role": Role.ADMIN, "display_name": "Quản trị hệ thống"},
)


def add_demo_users(store: UserStore, password: str = DEMO_PASSWORD) -> list[str]:
    """Create the demo users that do not exist yet; return their names."""
    created = []
    for spec in DEMO_USERS:
        if store.get(spec["username"]) is None:
            store.add(password=password, **spec)
            created.append(spec["username"])
    return created
