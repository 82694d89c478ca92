//! Moving a whole database from one backend to another (`rolemap db copy`): every table, row for
//! row, ids kept, in one transaction on the target, which must hold no data yet. The tables are
//! taken in an order in which every row's references are already there; a table this module does
//! not know stops the copy before anything is written, so a copy is never silently partial.
//!
//! [`dump`] reads every table the same way on either backend, so that two databases can be
//! compared: the copy is lossless when the dumps are equal.

use std::collections::BTreeMap;

use sqlx::Row as _;

use crate::{Location, PgStore, Result, SqliteStore, StoreError};

/// Every table, parents before children. `meta` is special: its rows exist in every fresh
/// database, so they are updated rather than inserted.
const TABLES: &[&str] = &[
    "frameworks",
    "scales",
    "scale_levels",
    "grade_ladders",
    "grades",
    "families",
    "skills",
    "skill_labels",
    "skill_tags",
    "roles",
    "role_titles",
    "role_grades",
    "role_codes",
    "role_texts",
    "role_dimensions",
    "requirements",
    "requirement_levels",
    "role_links",
    "people",
    "users",
    "sessions",
    "api_tokens",
    "assessments",
    "meta",
    "esco_concept_fields",
    "esco_labels",
    "esco_broader_links",
    "esco_skill_links",
    "esco_hierarchy",
    "esco_occupation_tags",
    "search_index_files",
    "transitions",
    "neighbour_lists",
    "mappings",
    "case_objects",
    "idempotency_keys",
    "audit_log",
    "audit_erasing",
    "audit_rewriting",
    "assessments_purging",
    "framework_drafts",
    "kept_objects",
    "mapping_rejections",
    "reviews",
    "review_cycles",
    "review_cycle_people",
    "goals",
];

/// Tables whose ids a PostgreSQL identity sequence hands out: moved past the copied ids.
const IDENTITY_TABLES: &[&str] = &[
    "frameworks",
    "scales",
    "grade_ladders",
    "families",
    "skills",
    "roles",
    "requirements",
    "role_links",
    "people",
    "users",
    "api_tokens",
    "assessments",
    "esco_concept_fields",
    "audit_log",
    "framework_drafts",
    "reviews",
    "review_cycles",
    "goals",
];

/// One stored value.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Real,
    Text,
    Blob,
}

/// Every table's rows, sorted, by table name.
pub type Dump = BTreeMap<String, Vec<Vec<Cell>>>;

/// What a copy moved.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CopyOutcome {
    pub tables: usize,
    pub rows: u64,
}

enum Pool {
    Sqlite(sqlx::SqlitePool),
    Pg(sqlx::PgPool),
}

async fn connect(location: &Location) -> Result<Pool> {
    Ok(match location {
        Location::Sqlite(path) => Pool::Sqlite(SqliteStore::open(path).await?.pool().clone()),
        Location::Postgres(url) => Pool::Pg(PgStore::open(url).await?.pool().clone()),
    })
}

fn kind_of(declared: &str) -> Kind {
    let declared = declared.to_ascii_lowercase();
    if declared.contains("int") {
        Kind::Int
    } else if declared.contains("real") || declared.contains("double") {
        Kind::Real
    } else if declared.contains("blob") || declared.contains("bytea") {
        Kind::Blob
    } else {
        Kind::Text
    }
}

impl Pool {
    /// The tables of the database (views and sqlx's own table left out).
    async fn tables(&self) -> Result<Vec<String>> {
        Ok(match self {
            Pool::Sqlite(pool) => {
                sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
                )
                .fetch_all(pool)
                .await?
            }
            Pool::Pg(pool) => {
                sqlx::query_scalar(
                    "SELECT table_name::text FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                     AND table_name <> '_sqlx_migrations' ORDER BY 1",
                )
                .fetch_all(pool)
                .await?
            }
        })
    }

    /// A table's columns in order, with the kind of value each holds.
    async fn columns(&self, table: &str) -> Result<Vec<(String, Kind)>> {
        let rows: Vec<(String, String)> = match self {
            Pool::Sqlite(pool) => {
                sqlx::query_as("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                    .bind(table)
                    .fetch_all(pool)
                    .await?
            }
            Pool::Pg(pool) => {
                sqlx::query_as(
                    "SELECT column_name::text, data_type::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 \
                     ORDER BY ordinal_position",
                )
                .bind(table)
                .fetch_all(pool)
                .await?
            }
        };
        Ok(rows
            .into_iter()
            .map(|(name, declared)| (name, kind_of(&declared)))
            .collect())
    }

    /// Every row of `table`, its columns in `columns`' order, sorted.
    async fn rows(&self, table: &str, columns: &[(String, Kind)]) -> Result<Vec<Vec<Cell>>> {
        let list: Vec<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
        let sql = format!("SELECT {} FROM {table}", list.join(", "));
        macro_rules! read {
            ($pool:expr) => {{
                let mut out = Vec::new();
                for row in sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                    .fetch_all($pool)
                    .await?
                {
                    let mut cells = Vec::with_capacity(columns.len());
                    for (i, (_, kind)) in columns.iter().enumerate() {
                        let cell = match kind {
                            Kind::Int => row.try_get::<Option<i64>, _>(i)?.map(Cell::Int),
                            Kind::Real => row.try_get::<Option<f64>, _>(i)?.map(Cell::Real),
                            Kind::Text => row.try_get::<Option<String>, _>(i)?.map(Cell::Text),
                            Kind::Blob => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Cell::Blob),
                        };
                        cells.push(cell.unwrap_or(Cell::Null));
                    }
                    out.push(cells);
                }
                out
            }};
        }
        let mut rows = match self {
            Pool::Sqlite(pool) => read!(pool),
            Pool::Pg(pool) => read!(pool),
        };
        rows.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        Ok(rows)
    }

    async fn close(&self) {
        match self {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Pg(pool) => pool.close().await,
        }
    }
}

/// Every table of the database at `location`, rows sorted: what two databases are compared by.
pub async fn dump(location: &Location) -> Result<Dump> {
    let pool = connect(location).await?;
    let mut dump = Dump::new();
    for table in pool.tables().await? {
        let columns = pool.columns(&table).await?;
        let rows = pool.rows(&table, &columns).await?;
        dump.insert(table, rows);
    }
    pool.close().await;
    Ok(dump)
}

/// Rows per INSERT: under both backends' limits on parameters (32,766 and 65,535) for the
/// widest table (13 columns).
const ROWS_PER_INSERT: usize = 1000;

/// Writes every table's rows in the transaction `$tx`: `meta` by update, people's managers once
/// everyone is in (PostgreSQL checks each reference as it is written), the rest by multi-row
/// INSERTs.
macro_rules! write_all {
    ($tx:ident, $data:ident) => {
        for (table, columns, rows) in &$data {
            let names: Vec<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
            if *table == "meta" {
                for row in rows {
                    if let [Cell::Text(key), Cell::Int(value)] = row.as_slice() {
                        sqlx::query(
                            "INSERT INTO meta (key, value) VALUES ($1, $2) \
                             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        )
                        .bind(key)
                        .bind(value)
                        .execute(&mut *$tx)
                        .await?;
                    }
                }
                continue;
            }
            let manager = (*table == "people")
                .then(|| names.iter().position(|c| *c == "manager_id"))
                .flatten();
            for chunk in rows.chunks(ROWS_PER_INSERT) {
                let mut sql = format!("INSERT INTO {table} ({}) VALUES ", names.join(", "));
                for (r, _) in chunk.iter().enumerate() {
                    if r > 0 {
                        sql.push_str(", ");
                    }
                    let numbers: Vec<String> = (1..=names.len())
                        .map(|c| format!("${}", r * names.len() + c))
                        .collect();
                    sql.push('(');
                    sql.push_str(&numbers.join(", "));
                    sql.push(')');
                }
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for row in chunk {
                    for (c, cell) in row.iter().enumerate() {
                        let cell = if Some(c) == manager {
                            &Cell::Null
                        } else {
                            cell
                        };
                        query = match (cell, columns[c].1) {
                            (Cell::Int(v), _) => query.bind(*v),
                            (Cell::Real(v), _) => query.bind(*v),
                            (Cell::Text(v), _) => query.bind(v.as_str()),
                            (Cell::Blob(v), _) => query.bind(v.as_slice()),
                            (Cell::Null, Kind::Int) => query.bind(None::<i64>),
                            (Cell::Null, Kind::Real) => query.bind(None::<f64>),
                            (Cell::Null, Kind::Text) => query.bind(None::<String>),
                            (Cell::Null, Kind::Blob) => query.bind(None::<Vec<u8>>),
                        };
                    }
                }
                query.execute(&mut *$tx).await?;
            }
            if let Some(manager) = manager {
                for row in rows {
                    if let (Cell::Int(id), Cell::Int(boss)) = (&row[0], &row[manager]) {
                        sqlx::query("UPDATE people SET manager_id = $1 WHERE id = $2")
                            .bind(boss)
                            .bind(id)
                            .execute(&mut *$tx)
                            .await?;
                    }
                }
            }
        }
    };
}

/// Copies everything at `from` into `to`, which must hold no frameworks, people or users yet.
pub async fn copy(from: &Location, to: &Location) -> Result<CopyOutcome> {
    let source = connect(from).await?;
    let target = connect(to).await?;
    let tables = source.tables().await?;
    if let Some(unknown) = tables.iter().find(|t| !TABLES.contains(&t.as_str())) {
        return Err(StoreError::Conflict(format!(
            "table '{unknown}' of {} is one `rolemap db copy` does not know; nothing was copied",
            from.shown()
        )));
    }
    for table in ["frameworks", "people", "users"] {
        let cols = target.columns(table).await?;
        if !target
            .rows(table, &cols[..cols.len().min(1)])
            .await?
            .is_empty()
        {
            return Err(StoreError::Conflict(format!(
                "{} already holds data (table '{table}'); copy into an empty database",
                to.shown()
            )));
        }
    }
    let mut outcome = CopyOutcome::default();
    let mut data = Vec::new();
    for table in TABLES.iter().filter(|t| tables.iter().any(|x| x == *t)) {
        let columns = source.columns(table).await?;
        let rows = source.rows(table, &columns).await?;
        outcome.tables += 1;
        outcome.rows += rows.len() as u64;
        data.push((*table, columns, rows));
    }
    match &target {
        Pool::Sqlite(pool) => {
            let mut tx = pool.begin().await?;
            // References are checked at the commit: a manager may come after their reports.
            sqlx::query("PRAGMA defer_foreign_keys = ON")
                .execute(&mut *tx)
                .await?;
            write_all!(tx, data);
            tx.commit().await?;
        }
        Pool::Pg(pool) => {
            let mut tx = pool.begin().await?;
            write_all!(tx, data);
            for table in IDENTITY_TABLES {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        }
    }
    source.close().await;
    target.close().await;
    Ok(outcome)
}
