//! The audit entries of the changes the store's writes make: what each kind of write records
//! (its action, subject, person, and the fields that matter before and after, as JSON).

use rolemap_core::PersonId;
use sqlx::PgConnection;

use crate::{Change, Result};

/// The entry of one framework version imported (from any format): one per import, not per row.
pub(crate) fn framework_import(outcome: &crate::ImportOutcome) -> Change {
    Change {
        action: "framework.import",
        subject: format!("{}@{}", outcome.key, outcome.version),
        person: None,
        before: None,
        after: Some(serde_json::json!({
            "key": outcome.key,
            "version": outcome.version,
            "skills": outcome.skills,
            "roles": outcome.roles,
            "links": outcome.links,
        })),
    }
}

/// A person's fields as the audit log keeps them: key, name, role (`framework:key`), grade,
/// manager (key) and team; `None` when there is no such person.
pub(crate) async fn person_fields(
    conn: &mut PgConnection,
    person: PersonId,
) -> Result<Option<serde_json::Value>> {
    let row: Option<PersonFieldsRow> = sqlx::query_as(
        "SELECT p.key, p.name, f.key || ':' || r.key, p.grade, m.key, p.team FROM people p \
         LEFT JOIN roles r ON r.id = p.role_id LEFT JOIN frameworks f ON f.id = r.framework_id \
         LEFT JOIN people m ON m.id = p.manager_id WHERE p.id = $1",
    )
    .bind(person.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(key, name, role, grade, manager, team)| {
        serde_json::json!({
            "key": key,
            "name": name,
            "role": role,
            "grade": grade,
            "manager": manager,
            "team": team,
        })
    }))
}

type PersonFieldsRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// The `person.add` entry of a person just stored (managers set).
pub(crate) async fn person_added(conn: &mut PgConnection, person: PersonId) -> Result<Change> {
    let after = person_fields(conn, person).await?;
    Ok(Change {
        action: "person.add",
        subject: after
            .as_ref()
            .and_then(|a| a["key"].as_str())
            .unwrap_or_default()
            .to_owned(),
        person: Some(person),
        before: None,
        after,
    })
}

/// The `assessment.add` entry of an assessment just stored: whose, which skill
/// (`framework:key`), the level's code, the source, when and the note.
pub(crate) async fn assessment_added(conn: &mut PgConnection, id: i64) -> Result<Change> {
    let row: (i64, String, String, String, String, String, String) = sqlx::query_as(
        "SELECT a.person_id, p.key, f.key || ':' || s.key, a.level_code, a.source, a.at, a.note \
         FROM assessments a JOIN people p ON p.id = a.person_id \
         JOIN skills s ON s.id = a.skill_id JOIN frameworks f ON f.id = s.framework_id \
         WHERE a.id = $1",
    )
    .bind(id)
    .fetch_one(conn)
    .await?;
    let (person, key, skill, level, source, at, note) = row;
    Ok(Change {
        action: "assessment.add",
        subject: format!("assessment:{id}"),
        person: Some(PersonId(person)),
        before: None,
        after: Some(serde_json::json!({
            "person": key,
            "skill": skill,
            "level": level,
            "source": source,
            "at": at,
            "note": note,
        })),
    })
}
