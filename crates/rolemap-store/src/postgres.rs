//! The PostgreSQL backend: a server shared by any number of rolemap processes, schema migrations
//! embedded. The SQL of each aggregate sits in `postgres/`, beside SQLite's in `sqlite/`, file for
//! file; both keep the same tables, so the same queries mostly serve both.

use async_trait::async_trait;
use rolemap_core::bundle::{FrameworkBundle, PeopleBundle};
use rolemap_core::{
    Assessment, Framework, Person, PersonId, Role, RoleId, RoleSummary, Skill, SkillId,
};
use rolemap_formats::Diagnostic;
use rolemap_formats::esco::EscoData;
use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::{
    Actor, ApiToken, AuditEntry, AuditFilter, ConceptKind, ConceptText, DraftUpdate, Erasure,
    EscoDetail, FrameworkDraft, ImportIndex, ImportOutcome, NameEntry, NewAssessment, NewDraft,
    NewPerson, NewUser, PeopleOutcome, Result, RoleFilter, SkillFilter, Store, StoreError,
    StoredSession, User, UserId, UserRole,
};

// The SQL of each aggregate sits in a module of its own; `impl Store` below only delegates.
mod accounts;
pub(crate) mod audit;
mod bundle;
mod case;
mod changes;
mod concepts;
mod copy;
mod drafts;
mod erasure;
mod esco;
mod esco_browse;
mod esco_import;
mod framework_bundle;
mod frameworks;
mod kept;
mod mappings;
mod neighbours;
mod organisation;
mod people;
mod people_admin;
mod plans;
mod roles;
mod search_index;
mod skills;
mod transitions;

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// A PostgreSQL database (or one schema of it, named by the URL's `search_path` option).
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/database`, options such as
    /// `?options=-csearch_path%3Dname` included) and brings the schema up to date.
    pub async fn open(url: &str) -> Result<PgStore> {
        let store = PgStore::open_unmigrated(url).await?;
        MIGRATOR.run(&store.pool).await?;
        Ok(store)
    }

    /// Connects to `url` without touching the schema (for `rolemap db status`).
    pub async fn open_unmigrated(url: &str) -> Result<PgStore> {
        let pool = PgPoolOptions::new().max_connections(8).connect(url).await?;
        Ok(PgStore { pool })
    }

    /// The pool, for the migration commands.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Closes every connection, waiting for those in use to come back.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Starts a write transaction. PostgreSQL takes row locks as the writes come and waits for
/// them, so a plain `BEGIN` serves; the one name keeps each aggregate's code the same as SQLite's.
pub(crate) async fn begin_write(
    pool: &PgPool,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>> {
    Ok(pool.begin().await?)
}

fn problem(
    origin: &rolemap_core::bundle::Origin,
    code: &'static str,
    message: String,
) -> Diagnostic {
    Diagnostic {
        file: origin.file.clone(),
        line: origin.line,
        column: 0,
        field: origin.field.clone(),
        code,
        message,
    }
}

/// Reads a name query's rows, `(id, framework key, key, name, kind)` with kind 0 for the concept's
/// own title or preferred label, into name entries: the one reading of role and skill names.
async fn name_entries<I>(
    pool: &PgPool,
    framework: Option<&str>,
    id: fn(i64) -> I,
    sql: &'static str,
) -> Result<Vec<NameEntry<I>>> {
    let rows: Vec<(i64, String, String, String, i64)> =
        sqlx::query_as(sql).bind(framework).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(row_id, framework_key, key, name, kind)| NameEntry {
            id: id(row_id),
            framework_key,
            key,
            name,
            preferred: kind == 0,
        })
        .collect())
}

fn bool_int(value: bool) -> i64 {
    i64::from(value)
}

/// Reads both generation counters in one round trip. PostgreSQL has no files to glance at, and
/// a primary-key read on a server is cheaper than the request it guards, so every call reads.
async fn generations(pool: &PgPool) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT (SELECT value FROM meta WHERE key = 'frameworks_generation'), \
         (SELECT value FROM meta WHERE key = 'people_generation')",
    )
    .fetch_one(pool)
    .await?)
}

#[async_trait]
impl Store for PgStore {
    async fn close(&self) {
        PgStore::close(self).await;
    }

    async fn frameworks(&self) -> Result<Vec<Framework>> {
        frameworks::frameworks(&self.pool).await
    }

    async fn framework_content(&self, key: &str, version: &str) -> Result<Option<String>> {
        frameworks::framework_content(&self.pool, key, version).await
    }

    async fn import_frameworks(
        &self,
        bundles: &[FrameworkBundle],
        actor: &Actor,
        now: &str,
    ) -> Result<Vec<ImportOutcome>> {
        frameworks::import_frameworks(self, bundles, actor, now).await
    }

    async fn framework_bundle(
        &self,
        key: &str,
        version: Option<&str>,
    ) -> Result<Option<FrameworkBundle>> {
        framework_bundle::framework_bundle(&self.pool, key, version).await
    }

    async fn framework_drafts(&self) -> Result<Vec<FrameworkDraft>> {
        drafts::drafts(&self.pool).await
    }

    async fn framework_draft(&self, id: i64) -> Result<FrameworkDraft> {
        drafts::draft_by_id(&self.pool, id).await
    }

    async fn add_framework_draft(
        &self,
        draft: &NewDraft,
        actor: &Actor,
        now: &str,
    ) -> Result<FrameworkDraft> {
        drafts::add_draft(&self.pool, draft, actor, now).await
    }

    async fn update_framework_draft(
        &self,
        edit: &DraftUpdate<'_>,
        actor: &Actor,
        now: &str,
    ) -> Result<FrameworkDraft> {
        drafts::update_draft(&self.pool, edit, actor, now).await
    }

    async fn publish_framework_draft(
        &self,
        id: i64,
        bundle: &FrameworkBundle,
        actor: &Actor,
        now: &str,
    ) -> Result<ImportOutcome> {
        drafts::publish_draft(self, id, bundle, actor, now).await
    }

    async fn import_case(
        &self,
        bundle: &FrameworkBundle,
        objects: &[rolemap_formats::case::CaseObject],
        actor: &Actor,
        now: &str,
    ) -> Result<ImportOutcome> {
        case::import_case(self, bundle, objects, actor, now).await
    }

    async fn case_objects(
        &self,
        framework: &str,
    ) -> Result<Option<Vec<rolemap_formats::case::CaseObject>>> {
        case::case_objects(self, framework).await
    }

    async fn framework_imported_at(&self, framework: &str) -> Result<Option<String>> {
        case::imported_at(self, framework).await
    }

    async fn import_kept(
        &self,
        bundle: &FrameworkBundle,
        format: &str,
        objects: &[rolemap_formats::kept::KeptObject],
        actor: &Actor,
        now: &str,
    ) -> Result<ImportOutcome> {
        kept::import_kept(self, bundle, format, objects, actor, now).await
    }

    async fn kept_objects(
        &self,
        framework: &str,
        format: &str,
    ) -> Result<Option<Vec<rolemap_formats::kept::KeptObject>>> {
        kept::kept_objects(self, framework, format).await
    }

    async fn import_esco(
        &self,
        data: &EscoData,
        actor: &Actor,
        now: &str,
    ) -> Result<ImportOutcome> {
        esco_import::import_esco(self, data, actor, now, None).await
    }

    async fn import_esco_indexed(
        &self,
        data: &EscoData,
        actor: &Actor,
        now: &str,
        index: &mut dyn ImportIndex,
    ) -> Result<ImportOutcome> {
        esco_import::import_esco(self, data, actor, now, Some(index)).await
    }

    async fn import_people(
        &self,
        bundle: &PeopleBundle,
        actor: &Actor,
        now: &str,
    ) -> Result<PeopleOutcome> {
        people::import_people(&self.pool, bundle, actor, now, true).await
    }

    async fn load_organisation(
        &self,
        org: &crate::Organisation,
        actor: &Actor,
        now: &str,
    ) -> Result<PeopleOutcome> {
        organisation::load_organisation(self, org, actor, now).await
    }

    async fn check_people(&self, bundle: &PeopleBundle) -> Result<Vec<Diagnostic>> {
        match people::import_people(&self.pool, bundle, &Actor::cli(), "", false).await {
            Ok(_) => Ok(Vec::new()),
            Err(StoreError::Invalid(problems)) => Ok(problems.0),
            Err(other) => Err(other),
        }
    }

    async fn frameworks_generation(&self) -> Result<i64> {
        Ok(generations(&self.pool).await?.0)
    }

    async fn people_generation(&self) -> Result<i64> {
        Ok(generations(&self.pool).await?.1)
    }

    async fn role_by_key(&self, framework: &str, key: &str) -> Result<Option<RoleId>> {
        roles::role_by_key(&self.pool, framework, key).await
    }

    async fn roles(&self, filter: &RoleFilter) -> Result<Vec<RoleSummary>> {
        roles::roles(self, filter).await
    }

    async fn role(&self, id: RoleId) -> Result<Role> {
        roles::role(self, id).await
    }

    async fn role_names(&self, framework: Option<&str>) -> Result<Vec<NameEntry<RoleId>>> {
        roles::role_names(&self.pool, framework).await
    }

    async fn skills(&self, filter: &SkillFilter) -> Result<Vec<Skill>> {
        skills::skills(self, filter).await
    }

    async fn skill(&self, id: SkillId) -> Result<Skill> {
        skills::skill(self, id).await
    }

    async fn skills_sharing_labels(&self) -> Result<Vec<Skill>> {
        skills::skills_sharing_labels(self).await
    }

    async fn skill_names(&self, framework: Option<&str>) -> Result<Vec<NameEntry<SkillId>>> {
        skills::skill_names(&self.pool, framework).await
    }

    async fn roles_requiring(&self, skill: SkillId) -> Result<Vec<(RoleSummary, bool)>> {
        roles::roles_requiring(self, skill).await
    }

    async fn add_person(
        &self,
        person: &NewPerson,
        assessments: &[NewAssessment],
        actor: &Actor,
        now: &str,
    ) -> Result<(Person, Vec<Assessment>)> {
        people::add_person(self, person, assessments, actor, now).await
    }

    async fn person(&self, id: PersonId) -> Result<Person> {
        people::person(self, id).await
    }

    async fn people(&self) -> Result<Vec<Person>> {
        people::people(self).await
    }

    async fn reports(&self, manager: PersonId) -> Result<Vec<Person>> {
        people::reports(self, manager).await
    }

    async fn manages(&self, manager: PersonId, person: PersonId) -> Result<bool> {
        people::manages(self, manager, person).await
    }

    async fn update_person(
        &self,
        id: PersonId,
        fields: &crate::PersonFields,
        actor: &crate::Actor,
        now: &str,
    ) -> Result<Person> {
        people_admin::update_person(self, id, fields, actor, now).await
    }

    async fn set_archived(
        &self,
        id: PersonId,
        archived: bool,
        actor: &crate::Actor,
        now: &str,
    ) -> Result<Person> {
        people_admin::set_archived(self, id, archived, actor, now).await
    }

    async fn write_people(
        &self,
        writes: &[crate::PersonWrite],
        actor: &crate::Actor,
        now: &str,
    ) -> Result<Vec<Person>> {
        people_admin::write_people(self, writes, actor, now).await
    }

    async fn add_assessments(
        &self,
        assessments: &[NewAssessment],
        actor: &Actor,
        now: &str,
    ) -> Result<Vec<Assessment>> {
        people::add_assessments(self, assessments, actor, now).await
    }

    async fn assessments(&self, person: PersonId) -> Result<Vec<Assessment>> {
        people::assessments(&self.pool, person).await
    }

    async fn concept_texts(&self) -> Result<Vec<ConceptText>> {
        concepts::concept_texts(&self.pool).await
    }

    async fn import_transitions(
        &self,
        rows: &[(RoleId, RoleId, u32, String)],
        actor: &Actor,
        now: &str,
    ) -> Result<usize> {
        transitions::import_transitions(self, rows, actor, now).await
    }

    async fn transitions(&self, framework: &str) -> Result<Vec<(RoleId, RoleId, u64)>> {
        transitions::transitions(&self.pool, framework).await
    }

    async fn role_texts(&self, framework: &str) -> Result<Vec<ConceptText>> {
        concepts::role_texts(&self.pool, framework).await
    }

    async fn requirement_pairs(&self, framework: &str) -> Result<Vec<(RoleId, SkillId, bool)>> {
        concepts::requirement_pairs(&self.pool, framework).await
    }

    async fn requirement_levels(&self, framework: &str) -> Result<Vec<crate::RequirementLevels>> {
        concepts::requirement_levels(&self.pool, framework).await
    }

    async fn role_bands(
        &self,
        framework: &str,
    ) -> Result<Vec<(RoleId, Option<rolemap_core::seniority::Band>)>> {
        concepts::role_bands(&self.pool, framework).await
    }

    async fn role_links(
        &self,
        framework: &str,
    ) -> Result<Vec<(RoleId, RoleId, rolemap_core::LinkKind)>> {
        concepts::role_links(&self.pool, framework).await
    }

    async fn skill_groups(&self, framework: &str) -> Result<Vec<(SkillId, i64)>> {
        concepts::skill_groups(&self.pool, framework).await
    }

    async fn skill_labels(&self, framework: &str) -> Result<Vec<(SkillId, String)>> {
        concepts::skill_labels(&self.pool, framework).await
    }

    async fn skill_texts(&self, framework: &str) -> Result<Vec<(SkillId, String, String, String)>> {
        mappings::skill_texts(&self.pool, framework).await
    }

    async fn apply_mappings(
        &self,
        rows: &[rolemap_core::Mapping],
        source: &str,
        actor: &Actor,
        now: &str,
    ) -> Result<usize> {
        mappings::apply(&self.pool, rows, source, actor, now).await
    }

    async fn mappings(&self) -> Result<Vec<rolemap_core::Mapping>> {
        mappings::all(&self.pool).await
    }

    async fn decide_mappings(
        &self,
        decisions: &[crate::MappingDecision],
        source: &str,
        actor: &crate::Actor,
        now: &str,
    ) -> Result<usize> {
        mappings::decide(&self.pool, decisions, source, actor, now).await
    }

    async fn mapping_rejections(&self) -> Result<Vec<(SkillId, SkillId)>> {
        mappings::rejections(&self.pool).await
    }

    async fn esco_branch(
        &self,
        pillar: crate::EscoPillar,
        parent: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> Result<Option<crate::EscoBranch>> {
        esco_browse::branch(&self.pool, pillar, parent, offset, limit).await
    }

    async fn esco_collections(&self) -> Result<Vec<(String, u64)>> {
        esco_browse::collections(&self.pool).await
    }

    async fn esco_collection(
        &self,
        tag: &str,
        offset: u64,
        limit: u64,
    ) -> Result<(u64, Vec<crate::EscoLink>)> {
        esco_browse::collection(&self.pool, tag, offset, limit).await
    }

    async fn neighbour_lists(&self, framework: &str, generation: i64) -> Result<Option<Vec<u8>>> {
        neighbours::neighbour_lists(&self.pool, framework, generation).await
    }

    async fn keep_neighbour_lists(
        &self,
        framework: &str,
        generation: i64,
        data: &[u8],
    ) -> Result<bool> {
        neighbours::keep_neighbour_lists(&self.pool, framework, generation, data).await
    }

    async fn concept_keys(&self, framework: &str) -> Result<Vec<(ConceptKind, i64, String)>> {
        concepts::concept_keys(&self.pool, framework).await
    }

    async fn search_index_files(&self, generation: i64) -> Result<Option<Vec<(String, Vec<u8>)>>> {
        search_index::search_index_files(&self.pool, generation).await
    }

    async fn keep_search_index_files(
        &self,
        generation: i64,
        files: &[(String, Vec<u8>)],
    ) -> Result<bool> {
        search_index::keep_search_index_files(&self.pool, generation, files).await
    }

    async fn skill_by_key(&self, framework: &str, key: &str) -> Result<Option<SkillId>> {
        concepts::skill_by_key(&self.pool, framework, key).await
    }

    async fn esco_detail(&self, kind: ConceptKind, id: i64) -> Result<Option<EscoDetail>> {
        concepts::esco_detail(&self.pool, kind, id).await
    }

    async fn add_user(&self, user: &NewUser, actor: &Actor, now: &str) -> Result<User> {
        accounts::add_user(&self.pool, user, actor, now).await
    }

    async fn user(&self, id: UserId) -> Result<User> {
        accounts::user_by_id(&self.pool, id).await
    }

    async fn users(&self) -> Result<Vec<User>> {
        accounts::users(&self.pool).await
    }

    async fn user_with_password(&self, username: &str) -> Result<Option<(User, String)>> {
        accounts::user_with_password(&self.pool, username).await
    }

    async fn user_by_person(&self, person: PersonId) -> Result<Option<User>> {
        accounts::user_by_person(&self.pool, person).await
    }

    async fn set_user_disabled(
        &self,
        id: UserId,
        disabled: bool,
        actor: &Actor,
        now: &str,
    ) -> Result<User> {
        accounts::set_disabled(&self.pool, id, disabled, actor, now).await
    }

    async fn set_user_role(
        &self,
        id: UserId,
        role: UserRole,
        actor: &Actor,
        now: &str,
    ) -> Result<User> {
        accounts::set_role(&self.pool, id, role, actor, now).await
    }

    async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        actor: &Actor,
        now: &str,
    ) -> Result<()> {
        accounts::set_password(&self.pool, id, password_hash, actor, now).await
    }

    async fn add_session(
        &self,
        token_hash: &[u8],
        session: &StoredSession,
        actor: &Actor,
    ) -> Result<()> {
        accounts::add_session(&self.pool, token_hash, session, actor).await
    }

    async fn session(&self, token_hash: &[u8]) -> Result<Option<(StoredSession, User)>> {
        accounts::session(&self.pool, token_hash).await
    }

    async fn touch_session(&self, token_hash: &[u8], now: &str) -> Result<()> {
        accounts::touch_session(&self.pool, token_hash, now).await
    }

    async fn delete_session(
        &self,
        token_hash: &[u8],
        actor: Option<&Actor>,
        now: &str,
    ) -> Result<()> {
        accounts::delete_session(&self.pool, token_hash, actor, now).await
    }

    async fn delete_expired_sessions(&self, now: &str, idle_since: &str) -> Result<u64> {
        accounts::delete_expired_sessions(&self.pool, now, idle_since).await
    }

    async fn add_api_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &[u8],
        actor: &Actor,
        now: &str,
    ) -> Result<ApiToken> {
        accounts::add_api_token(&self.pool, user, name, token_hash, actor, now).await
    }

    async fn api_tokens(&self, user: UserId) -> Result<Vec<ApiToken>> {
        accounts::api_tokens(&self.pool, user).await
    }

    async fn api_token_user(&self, token_hash: &[u8]) -> Result<Option<(ApiToken, User)>> {
        accounts::api_token_user(&self.pool, token_hash).await
    }

    async fn touch_api_token(&self, id: i64, now: &str) -> Result<()> {
        accounts::touch_api_token(&self.pool, id, now).await
    }

    async fn revoke_api_token(
        &self,
        user: UserId,
        id: i64,
        actor: &Actor,
        now: &str,
    ) -> Result<ApiToken> {
        accounts::revoke_api_token(&self.pool, user, id, actor, now).await
    }

    async fn kept_answer(
        &self,
        key: &str,
        user: Option<UserId>,
        since: &str,
    ) -> Result<Option<crate::KeptAnswer>> {
        accounts::kept_answer(&self.pool, key, user, since).await
    }

    async fn keep_answer(
        &self,
        key: &str,
        user: Option<UserId>,
        answer: &crate::KeptAnswer,
        now: &str,
        expired: &str,
    ) -> Result<()> {
        accounts::keep_answer(&self.pool, key, user, answer, now, expired).await
    }

    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        audit::entries(&self.pool, filter).await
    }

    async fn erase_person(
        &self,
        person: PersonId,
        tombstone: &str,
        actor: &Actor,
        now: &str,
    ) -> Result<Erasure> {
        erasure::erase_person(&self.pool, person, tombstone, actor, now).await
    }

    async fn purge_assessments(&self, before: &str, actor: &Actor, now: &str) -> Result<u64> {
        erasure::purge_assessments(&self.pool, before, actor, now).await
    }

    async fn add_review(
        &self,
        review: &crate::NewReview,
        actor: &crate::Actor,
        now: &str,
    ) -> Result<crate::StoredReview> {
        plans::add_review(self, review, actor, now).await
    }

    async fn reviews(&self, scope: crate::PeopleScope) -> Result<Vec<crate::StoredReview>> {
        plans::reviews(&self.pool, scope).await
    }

    async fn add_goal(
        &self,
        goal: &crate::NewGoal,
        actor: &crate::Actor,
        now: &str,
    ) -> Result<crate::Goal> {
        plans::add_goal(self, goal, actor, now).await
    }

    async fn update_goal(
        &self,
        person: PersonId,
        id: i64,
        change: &crate::GoalChange,
        actor: &crate::Actor,
        now: &str,
    ) -> Result<crate::Goal> {
        plans::update_goal(self, person, id, change, actor, now).await
    }

    async fn goals(&self, scope: crate::PeopleScope) -> Result<Vec<crate::Goal>> {
        plans::goals(&self.pool, scope).await
    }

    async fn open_cycle(
        &self,
        cycle: &crate::NewCycle,
        actor: &crate::Actor,
        now: &str,
    ) -> Result<crate::Cycle> {
        plans::open_cycle(self, cycle, actor, now).await
    }

    async fn close_cycle(&self, id: i64, actor: &crate::Actor, now: &str) -> Result<crate::Cycle> {
        plans::close_cycle(self, id, actor, now).await
    }

    async fn cycles(&self) -> Result<Vec<crate::Cycle>> {
        plans::cycles(&self.pool).await
    }
}
