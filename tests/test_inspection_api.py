"""Inspections over the JSON API v1: open, follow, read; errors keep the v1 shapes."""

from __future__ import annotations

from tests.inspection_support import complete, decision, item, proposal, unit_id


def test_an_integration_opens_an_inspection_and_reads_its_decision_over_the_api(api, freeze):
    freeze("2026-04-20T09:00:00+07:00")
    office, chairman, finance = api("vp.chuyenvien"), api("ct.ubnd"), api("stc.daumoi")
    refused = office.post(
        "/inspections", {"kind": "periodic", "title": "Kiểm tra định kỳ quý II/2026", "decider": "chairman"}
    )
    assert refused.status_code == 422
    assert refused.json["error"]["fields"] == {
        "plan_id": "Kiểm tra định kỳ phải theo một kế hoạch đã được phê duyệt."
    }
    assert (
        chairman.post("/inspections", {"kind": "ad_hoc"}).status_code == 403
    )  # the leader decides, not drafts

    created = office.post(
        "/inspections",
        {
            "kind": "ad_hoc",
            "title": "Kiểm tra đột xuất Sở Tài chính quý II",
            "decider": "chairman",
            "trigger": "leader_request",
            "reason": "Theo chỉ đạo của Chủ tịch UBND tỉnh ngày 18/4.",
            "suggested_unit_ids": [unit_id("stc")],
        },
    )
    assert created.status_code == 201, created.json
    body = created.json
    assert body["status"] == "drafting" and body["decision"]["reference"] is None
    assert [d["item"] for d in body["dossier"] if d["mandatory"]] == [1, 2, 4, 5, 6, 7]

    complete(
        office, item(office, "Lập kế hoạch, đề xuất kiểm tra và dự kiến Đoàn kiểm tra"), proposal(["stc"])
    )
    assert finance.get(f"/inspections/{body['id']}").status_code == 200  # inspected units may read it
    assert api("sxd.daumoi").get(f"/inspections/{body['id']}").status_code == 404
    complete(chairman, item(chairman, "Ban hành quyết định kiểm tra"), decision())
    read = office.get(f"/inspections/{body['id']}").json
    assert read["status"] == "in_progress" and read["decision"]["reference"] == "15/QĐ-UBND"
    assert read["decision"]["team"][0] == {
        "full_name": "Trần Thị Bình",
        "position": "Chánh Văn phòng UBND tỉnh",
        "role": "head",
    }
    assert read["subjects"] == [{"unit": "stc", "unit_id": unit_id("stc"), "reported_at": None}]
    assert office.get("/inspections/published-conclusions").json == []
