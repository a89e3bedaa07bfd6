"""Inspection (kiểm tra, R12): one module per concern.

- `opening`: yearly plans, opening periodic or ad hoc inspections (starts the BPMN process);
- `projection`: the `update_inspection(...)` effect the process writes its rows through;
- `access`: who sees and who works on an inspection;
- `dossier`: the eight-item dossier, uploads, the archive with its index;
- `documents`: the decision and the result report as .docx (Nghị định 30/2020/NĐ-CP layout);
- `publication`: publishing conclusions, `published_conclusions()` for the public page;
- `followup`: recommendations -> a follow-up directive whose tasks are tracked like any other;
- `signals`: signs of non-performance per unit, for ad hoc inspections;
- `team`: the team head invites more members.
"""
