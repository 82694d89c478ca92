//! Importing people from a CSV file (`rolemap_formats::people_csv`), all or nothing: each row is
//! matched to a stored person by key, else by email, and updates them; a row matching nobody
//! adds someone. Every problem (the file's shape, a role or manager that does not resolve, a
//! loop in the reporting lines, an email someone else has) is reported as file:line:column with
//! the field, and nothing is written while any stands. The result says who was created,
//! updated and left unchanged, so importing the same file twice changes nothing.

use std::collections::{HashMap, HashSet};

use rolemap_core::{Person, PersonId, Role};
use rolemap_formats::people_csv::{PeopleColumns, PersonCsvRow, read_people_csv_partly};
use rolemap_formats::{Diagnostic, Diagnostics};
use rolemap_store::{Actor, ManagerRef, PersonFields, PersonWrite};

use crate::fields::check_name;
use crate::people_admin::check_email;
use crate::{InputFile, Result, Service, ServiceError};

/// One person an import wrote or found as it was, with the line of their row.
#[derive(Debug, Clone)]
pub struct SyncedPerson {
    pub line: usize,
    pub person: Person,
}

/// What a people import did, each list in the file's order.
#[derive(Debug, Clone, Default)]
pub struct PeopleSync {
    pub created: Vec<SyncedPerson>,
    pub updated: Vec<SyncedPerson>,
    pub unchanged: Vec<SyncedPerson>,
}

/// Who a row's manager is, before anything is written: a stored person or another row (by
/// its line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Boss {
    Stored(PersonId),
    Row(usize),
}

/// A row once checked: what it writes and whom.
#[derive(Debug)]
struct Planned {
    line: usize,
    existing: Option<Person>,
    key: String,
    fields: PersonFields,
    boss: Option<Boss>,
}

/// Collects the problems of one file.
#[derive(Debug)]
struct Problems<'a> {
    file: &'a str,
    columns: PeopleColumns,
    found: Vec<Diagnostic>,
}

impl Problems<'_> {
    fn add(&mut self, line: usize, field: &str, code: &'static str, message: impl ToString) {
        self.found.push(Diagnostic {
            file: self.file.to_owned(),
            line,
            column: self.columns.of(field),
            field: field.to_owned(),
            code,
            message: message.to_string(),
        });
    }

    /// A service check of one value, kept as a problem at its cell.
    fn check(&mut self, line: usize, field: &str, checked: Result<()>) -> bool {
        match checked {
            Ok(()) => true,
            Err(ServiceError::Invalid { message, .. }) => {
                self.add(line, field, "invalid-value", message);
                false
            }
            Err(other) => {
                self.add(line, field, "invalid-value", other);
                false
            }
        }
    }
}

impl Service {
    /// Imports people from a CSV file in one transaction (see the module's description).
    pub async fn import_people_csv(
        &self,
        file: &InputFile,
        actor: &Actor,
        now: &str,
    ) -> Result<PeopleSync> {
        let (csv, found) =
            read_people_csv_partly(&file.text, &file.name).map_err(ServiceError::Import)?;
        let stored = self.people_with_archived().await?;
        let by_key: HashMap<String, &Person> =
            stored.iter().map(|p| (p.key.to_lowercase(), p)).collect();
        let by_email: HashMap<String, &Person> = stored
            .iter()
            .filter_map(|p| p.email.as_ref().map(|e| (e.to_lowercase(), p)))
            .collect();
        let mut problems = Problems {
            file: &file.name,
            columns: csv.columns,
            found,
        };
        let mut roles: HashMap<String, Option<Role>> = HashMap::new();
        let mut matched: HashMap<PersonId, usize> = HashMap::new();
        let mut taken: HashSet<String> = by_key.keys().cloned().collect();
        let row_of_key: HashMap<String, usize> = csv
            .rows
            .iter()
            .filter_map(|r| {
                r.key
                    .as_deref()
                    .filter(|k| !k.is_empty())
                    .map(|k| (k.to_lowercase(), r.line))
            })
            .collect();
        let mut plans: Vec<Planned> = Vec::with_capacity(csv.rows.len());
        for row in &csv.rows {
            let line = row.line;
            let key = row.key.as_deref().map(str::trim).filter(|k| !k.is_empty());
            let email_text = row.email.as_deref().filter(|e| !e.is_empty());
            let email = match email_text.map(check_email) {
                Some(Ok(email)) => Some(email),
                Some(Err(message)) => {
                    problems.add(line, "email", "invalid-email", message);
                    None
                }
                None => None,
            };
            let existing = match key.and_then(|k| by_key.get(&k.to_lowercase())) {
                Some(person) => Some(*person),
                None => match email.as_ref().and_then(|e| by_email.get(&e.to_lowercase())) {
                    Some(person) if key.is_some() => {
                        problems.add(
                            line,
                            "key",
                            "key-mismatch",
                            format!(
                                "the email {} is {}'s, whose key is '{}': write that key, or \
                                 leave the key empty to match by email",
                                email.as_deref().unwrap_or_default(),
                                person.name,
                                person.key
                            ),
                        );
                        None
                    }
                    Some(person) => Some(*person),
                    None => None,
                },
            };
            if let Some(person) = existing
                && let Some(first) = matched.insert(person.id, line)
            {
                problems.add(
                    line,
                    if key.is_some() { "key" } else { "email" },
                    "duplicate-person",
                    format!("line {first} is {} ({}) already", person.name, person.key),
                );
            }
            // An email another stored person has, other than the one this row updates (a new
            // row's email held by someone is a key mismatch, said above).
            if let Some(email) = &email
                && let Some(holder) = by_email.get(&email.to_lowercase())
                && existing.is_some_and(|p| p.id != holder.id)
            {
                problems.add(
                    line,
                    "email",
                    "duplicate-email",
                    format!(
                        "{email} is already the email of {} ({})",
                        holder.name, holder.key
                    ),
                );
            }
            let plan = self
                .plan_row(row, existing, key, email, &mut problems, &mut roles)
                .await?;
            let Some(mut plan) = plan else { continue };
            if plan.existing.is_none() {
                plan.key = match key {
                    Some(key) => {
                        problems.check(line, "key", check_name("key", key));
                        key.to_owned()
                    }
                    None => free_key(&plan.fields.name, &taken),
                };
                taken.insert(plan.key.to_lowercase());
            }
            plan.boss = match row.manager.as_deref().filter(|m| !m.is_empty()) {
                None => None,
                Some(text) => match row_of_key.get(&text.to_lowercase()) {
                    Some(&at) if at == line => {
                        problems.add(
                            line,
                            "manager",
                            "self-manager",
                            "a person cannot manage themselves",
                        );
                        None
                    }
                    Some(&at) => Some(Boss::Row(at)),
                    None => match self.person(text).await {
                        Ok(manager) if manager.is_archived() => {
                            problems.add(
                                line,
                                "manager",
                                "archived-manager",
                                format!(
                                    "{} is archived and cannot be anyone's manager",
                                    manager.name
                                ),
                            );
                            None
                        }
                        Ok(manager) => Some(Boss::Stored(manager.id)),
                        Err(
                            e @ (ServiceError::NotFound { .. } | ServiceError::Ambiguous { .. }),
                        ) => {
                            problems.add(line, "manager", "unknown-person", e);
                            None
                        }
                        Err(e) => return Err(e),
                    },
                },
            };
            if row.manager.is_none() {
                // No manager column: the stored one stays.
                plan.boss = plan
                    .existing
                    .as_ref()
                    .and_then(|p| p.manager.as_ref())
                    .map(|(id, _)| Boss::Stored(*id));
            }
            plans.push(plan);
        }
        check_loops(&stored, &plans, &mut problems);
        if !problems.found.is_empty() {
            problems.found.sort_by_key(|p| (p.line, p.column));
            // A row the reader found wrong may be found wrong again against the store.
            problems
                .found
                .dedup_by(|a, b| (a.line, a.column, &a.field) == (b.line, b.column, &b.field));
            return Err(ServiceError::Import(Diagnostics(problems.found)));
        }
        self.write_plans(plans, actor, now).await
    }

    /// Checks one row's values against what is stored: a plan, or `None` when a problem stops
    /// it (problems are added).
    async fn plan_row(
        &self,
        row: &PersonCsvRow,
        existing: Option<&Person>,
        key: Option<&str>,
        email: Option<String>,
        problems: &mut Problems<'_>,
        roles: &mut HashMap<String, Option<Role>>,
    ) -> Result<Option<Planned>> {
        let line = row.line;
        let mut ok = problems.check(line, "name", check_name("name", &row.name));
        for (field, value) in [
            ("role", &row.role),
            ("grade", &row.grade),
            ("manager", &row.manager),
            ("team", &row.team),
        ] {
            if let Some(value) = value {
                ok &= problems.check(line, field, check_name(field, value));
            }
        }
        let role = match row.role.as_deref() {
            Some("") => None,
            Some(text) => {
                if !roles.contains_key(text) {
                    let found = match self.role(text, None).await {
                        Ok(role) => Some(role),
                        Err(
                            e @ (ServiceError::NotFound { .. } | ServiceError::Ambiguous { .. }),
                        ) => {
                            problems.add(line, "role", "unknown-role", e);
                            ok = false;
                            None
                        }
                        Err(e) => return Err(e),
                    };
                    roles.insert(text.to_owned(), found);
                }
                match roles.get(text).cloned().flatten() {
                    Some(role) => Some(role),
                    None => {
                        ok = false;
                        None
                    }
                }
            }
            None => match existing.and_then(|p| p.role.as_ref()) {
                Some(summary) => Some(Role::clone(&*self.role_by_id(summary.id).await?)),
                None => None,
            },
        };
        let grade_text = match &row.grade {
            Some(grade) => Some(grade.clone()).filter(|g| !g.is_empty()),
            None => existing.and_then(|p| p.grade.clone()),
        };
        let grade = match (grade_text, &role) {
            (Some(grade), Some(role)) => match role.check_grade(&grade) {
                Ok(grade) => Some(grade),
                Err(message) => {
                    problems.add(line, "grade", "unknown-grade", message);
                    ok = false;
                    None
                }
            },
            (grade, _) => grade,
        };
        let email = match &row.email {
            Some(_) => email,
            None => existing.and_then(|p| p.email.clone()),
        };
        let team = match &row.team {
            Some(team) => team.clone(),
            None => existing.map_or_else(String::new, |p| p.team.clone()),
        };
        if !ok {
            return Ok(None);
        }
        Ok(Some(Planned {
            line,
            existing: existing.cloned(),
            key: existing.map_or_else(|| key.unwrap_or_default().to_owned(), |p| p.key.clone()),
            fields: PersonFields {
                name: row.name.clone(),
                email,
                role: role.map(|r| r.id),
                grade,
                // Set from `boss` when written.
                manager: None,
                team,
            },
            boss: None,
        }))
    }

    /// Writes the rows that change something, in one transaction, and sorts every row into
    /// created, updated and unchanged.
    async fn write_plans(
        &self,
        plans: Vec<Planned>,
        actor: &Actor,
        now: &str,
    ) -> Result<PeopleSync> {
        let at_line: HashMap<usize, usize> =
            plans.iter().enumerate().map(|(i, p)| (p.line, i)).collect();
        let key_of = |boss: Option<Boss>| match boss {
            None => ManagerRef::None,
            Some(Boss::Stored(id)) => ManagerRef::Stored(id),
            Some(Boss::Row(line)) => match at_line.get(&line).and_then(|&i| plans.get(i)) {
                Some(Planned {
                    existing: Some(p), ..
                }) => ManagerRef::Stored(p.id),
                Some(plan) => ManagerRef::New(plan.key.clone()),
                None => ManagerRef::None,
            },
        };
        let mut sync = PeopleSync::default();
        let mut writes = Vec::new();
        let mut lines = Vec::new();
        for plan in &plans {
            let manager = key_of(plan.boss);
            let mut fields = plan.fields.clone();
            fields.manager = match &manager {
                ManagerRef::Stored(id) => Some(*id),
                _ => None,
            };
            // A manager the import adds is a change, whatever `fields` says of it.
            if let Some(person) = &plan.existing
                && !matches!(manager, ManagerRef::New(_))
                && same_fields(person, &fields)
            {
                sync.unchanged.push(SyncedPerson {
                    line: plan.line,
                    person: person.clone(),
                });
                continue;
            }
            lines.push((plan.line, plan.existing.is_some()));
            writes.push(PersonWrite {
                existing: plan.existing.as_ref().map(|p| p.id),
                key: plan.key.clone(),
                fields,
                manager,
            });
        }
        if !writes.is_empty() {
            let written = self.store.write_people(&writes, actor, now).await?;
            for ((line, existed), person) in lines.into_iter().zip(written) {
                let synced = SyncedPerson { line, person };
                if existed {
                    sync.updated.push(synced);
                } else {
                    sync.created.push(synced);
                }
            }
        }
        Ok(sync)
    }
}

/// Whether a stored person already has these fields.
fn same_fields(person: &Person, fields: &PersonFields) -> bool {
    person.name == fields.name
        && person.email == fields.email
        && person.role.as_ref().map(|r| r.id) == fields.role
        && person.grade == fields.grade
        && person.manager.as_ref().map(|(id, _)| *id) == fields.manager
        && person.team == fields.team
}

/// A key from a name that no one stored or earlier in the file has.
fn free_key(name: &str, taken: &HashSet<String>) -> String {
    let base = crate::slug(name);
    let base = if base.is_empty() {
        "person".to_owned()
    } else {
        base
    };
    let mut key = base.clone();
    let mut n = 2;
    while taken.contains(&key) {
        key = format!("{base}-{n}");
        n += 1;
    }
    key
}

/// Reports each row whose new manager would lead, up the reporting lines as they would be
/// after the import, back to itself.
fn check_loops(stored: &[Person], plans: &[Planned], problems: &mut Problems<'_>) {
    // Everyone as a node: stored people by id, new rows after them.
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum Node {
        Stored(PersonId),
        Row(usize),
    }
    let node_of_row = |i: usize| match plans.get(i).and_then(|p| p.existing.as_ref()) {
        Some(p) => Node::Stored(p.id),
        None => Node::Row(i),
    };
    let at_line: HashMap<usize, usize> =
        plans.iter().enumerate().map(|(i, p)| (p.line, i)).collect();
    let mut up: HashMap<Node, Node> = HashMap::new();
    let mut names: HashMap<Node, String> = HashMap::new();
    for p in stored {
        names.insert(Node::Stored(p.id), p.name.clone());
        if let Some((m, _)) = &p.manager {
            up.insert(Node::Stored(p.id), Node::Stored(*m));
        }
    }
    for (i, plan) in plans.iter().enumerate() {
        let node = node_of_row(i);
        names.insert(node, plan.fields.name.clone());
        match plan.boss {
            None => {
                up.remove(&node);
            }
            Some(Boss::Stored(m)) => {
                up.insert(node, Node::Stored(m));
            }
            Some(Boss::Row(line)) => match at_line.get(&line) {
                Some(&j) => {
                    up.insert(node, node_of_row(j));
                }
                None => {
                    up.remove(&node);
                }
            },
        }
    }
    for (i, plan) in plans.iter().enumerate() {
        if plan.boss.is_none() {
            continue;
        }
        let start = node_of_row(i);
        let mut path = vec![start];
        let mut at = start;
        while let Some(&next) = up.get(&at) {
            if next == start {
                let chain: Vec<String> = path
                    .iter()
                    .chain(std::iter::once(&start))
                    .map(|n| names.get(n).cloned().unwrap_or_default())
                    .collect();
                problems.add(
                    plan.line,
                    "manager",
                    "manager-loop",
                    format!(
                        "the reporting lines would loop: {}",
                        chain.join(" reports to ")
                    ),
                );
                break;
            }
            if path.contains(&next) || path.len() > up.len() {
                // A loop further up, reported at its own rows.
                break;
            }
            path.push(next);
            at = next;
        }
    }
}
