"""The worked examples of the API's guide page (/api) and the README: code, so not translated."""

from __future__ import annotations

READ_EXAMPLES = (
    "curl -s 'https://example.gov.uk/api/v1/pilots?q=chatbot&pillar=inclusion&per_page=100'",
    "curl -s https://example.gov.uk/api/v1/pilots/missed-bins-chatbot",
    "curl -s -i -H 'If-None-Match: \"<etag>\"' https://example.gov.uk/api/v1/pillars",
    "curl -s 'https://example.gov.uk/api/v1/events?cursor=<next_cursor>'",
)

PUBLISH_SCRIPT = """\
#!/bin/sh
# A council's system publishing a pilot: PG_TOKEN holds a token with all four scopes.
API=https://example.gov.uk/api/v1
AUTH="Authorization: Bearer $PG_TOKEN"
JSON="Content-Type: application/json"

# 1. a draft (the Idempotency-Key makes a retry safe: it never makes a second draft)
curl -s -X POST "$API/pilots" -H "$AUTH" -H "$JSON" -H "Idempotency-Key: crm-4711" -d '{
  "title": "Chatbot for missed bins", "lead_council": "KEC",
  "hypothesis": "We believe a chatbot will mean fewer calls. We will see 20% fewer.",
  "pillars": ["developing-solutions"], "evaluation_design": 2,
  "start_date": "2026-04-01", "planned_end_date": "2026-09-30"}'
# 2. its primary success measure
curl -s -X POST "$API/pilots/chatbot-for-missed-bins/measures" -H "$AUTH" -H "$JSON" \\
  -d '{"name": "Calls about missed bins", "unit": "calls a month", "direction": "lower",
       "baseline": "1200", "target": "960", "disproved_if": "1150"}'
# 3. register (freezes the hypothesis and measures), later start
curl -s -X POST "$API/pilots/chatbot-for-missed-bins/transitions" -H "$AUTH" -H "$JSON" \\
  -d '{"action": "register"}'
curl -s -X POST "$API/pilots/chatbot-for-missed-bins/transitions" -H "$AUTH" -H "$JSON" \\
  -d '{"action": "start"}'
# 4. progress updates while it runs, then the outcome report
curl -s -X POST "$API/pilots/chatbot-for-missed-bins/updates" -H "$AUTH" -H "$JSON" \\
  -d '{"text": "Live on the website; 300 conversations in the first week."}'
curl -s -X POST "$API/pilots/chatbot-for-missed-bins/outcome" -H "$AUTH" -H "$JSON" -d '{
  "narrative": "Calls fell by a quarter.", "verdict": "proved", "actual_end_date": "2026-09-30",
  "results": [{"measure_id": 1, "value": "900"}]}'
"""
