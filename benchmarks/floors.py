"""The bare SQL each measured figure needs, run straight through the driver: the floor we compare against."""

MANAGERS = "('slack:U0CM1', 'slack:U0CM2', 'playground:Casey Brown')"
DECIDED = "('taken_forward', 'in_progress', 'done', 'not_taken_forward')"
CHALLENGES = ("ways-of-working", "wellbeing", "patient-experience", "digital")

STATS = [
    "SELECT status, count(*) FROM idea WHERE merged_into_id IS NULL GROUP BY status",
    "SELECT horizon, count(*) FROM idea WHERE merged_into_id IS NULL AND horizon IS NOT NULL GROUP BY horizon",
    "SELECT challenge_key, count(*) FROM idea WHERE merged_into_id IS NULL GROUP BY challenge_key",
    "SELECT count(*) FROM comment",
    "SELECT count(*) FROM vote",
    "SELECT count(*) FROM participant WHERE first_contribution_at IS NOT NULL",
    f"SELECT count(*) FROM (SELECT by_ref AS ref FROM statuschange WHERE by_ref IN {MANAGERS} "
    f"UNION SELECT added_by FROM ideatheme WHERE added_by IN {MANAGERS} "
    f"UNION SELECT author_ref FROM comment WHERE author_ref IN {MANAGERS}) AS active",
    "SELECT sum(CASE WHEN f.first_at IS NOT NULL OR i.created_at <= {cutoff} THEN 1 ELSE 0 END), "
    "sum(CASE WHEN f.first_at IS NOT NULL AND {in_time} THEN 1 ELSE 0 END) "
    "FROM idea i LEFT JOIN (SELECT idea_id, min(at) AS first_at FROM ("
    "SELECT idea_id, created_at AS at FROM statuschange UNION ALL SELECT idea_id, created_at FROM ideatheme "
    f"UNION ALL SELECT idea_id, created_at FROM comment WHERE author_ref IN {MANAGERS}) AS r GROUP BY idea_id"
    ") AS f ON f.idea_id = i.id WHERE i.merged_into_id IS NULL",
]

TOP = [
    f"SELECT * FROM idea WHERE merged_into_id IS NULL AND challenge_key = '{key}' "
    "ORDER BY vote_count DESC, number DESC LIMIT 10"
    for key in CHALLENGES
]

ACKNOWLEDGEMENT_WINDOW = {
    "sqlite": {"cutoff": "datetime('now', '-5 days')",
               "in_time": "julianday(f.first_at) - julianday(i.created_at) <= 5"},
    "postgresql": {"cutoff": "now() - interval '5 days'",
                   "in_time": "f.first_at - i.created_at <= interval '5 days'"},
}


DIGEST = [
    "SELECT count(*) FROM (SELECT max(id) FROM statuschange WHERE created_at >= {since} AND to_status <> 'new' "
    "GROUP BY idea_id) AS latest",
    "SELECT s.*, i.* FROM statuschange s JOIN idea i ON i.id = s.idea_id WHERE s.id IN (SELECT max(id) "
    "FROM statuschange WHERE created_at >= {since} AND to_status <> 'new' GROUP BY idea_id) "
    "ORDER BY s.id DESC LIMIT 20",
    "SELECT count(*) FROM idea WHERE created_at >= {since} AND merged_into_id IS NULL",
    "SELECT * FROM idea WHERE created_at >= {since} AND merged_into_id IS NULL ORDER BY number LIMIT 10",
    "SELECT * FROM idea WHERE merged_into_id IS NULL ORDER BY vote_count DESC, number DESC LIMIT 5",
    "SELECT * FROM idea WHERE merged_into_id IS NULL AND status IN ('new', 'under_review') "
    "AND created_at <= {waiting} ORDER BY created_at, number LIMIT 10",
]
WINDOWS = {
    "sqlite": {"since": "datetime('now', '-7 days')", "waiting": "datetime('now', '-14 days')"},
    "postgresql": {"since": "now() - interval '7 days'", "waiting": "now() - interval '14 days'"},
}


# The campaign chart's timeline: first contributions and ideas counted per quarter hour (UTC), which the bot then
# sums per day in the campaign's time zone.
QUARTER_HOUR = {
    "sqlite": "CAST(strftime('%s', {column}) AS INTEGER) / 900",
    "postgresql": "CAST(floor(extract(epoch FROM {column}) / 900) AS BIGINT)",
}
CHART = [
    "SELECT {first}, count(*) FROM participant WHERE first_contribution_at IS NOT NULL GROUP BY 1",
    "SELECT {created}, count(*) FROM idea WHERE merged_into_id IS NULL GROUP BY 1",
]


def floor_queries(dialect: str) -> dict[str, list[str]]:
    """The floor statements for one database dialect ('sqlite' or 'postgresql')."""
    stats = [statement.format(**ACKNOWLEDGEMENT_WINDOW[dialect]) for statement in STATS]
    digest = [statement.format(**WINDOWS[dialect]) for statement in DIGEST]
    buckets = {"first": QUARTER_HOUR[dialect].format(column="first_contribution_at"),
               "created": QUARTER_HOUR[dialect].format(column="created_at")}
    chart = [statement.format(**buckets) for statement in CHART]
    return {"stats": stats, "top": TOP, "digest": stats + digest, "chart": chart}
