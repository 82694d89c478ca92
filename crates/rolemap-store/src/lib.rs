//! Where rolemap keeps its data. The [`Store`] trait is what every caller uses; [`SqliteStore`] is the
//! embedded backend (one file, migrations built in) and [`PgStore`] the PostgreSQL one (a server
//! several rolemap processes share). [`Location`] opens either from what `--db` says.
//!
//! Invariants: only this crate writes SQL; every method that writes does so in one transaction, so a
//! failed call changes nothing, and records what it changed in the audit log in that transaction;
//! assessments and the audit log are append-only (the schema refuses updates and deletes), save
//! through erasure and the retention purge (migration 0020).

mod accounts;
mod audit;
mod error;
mod location;
mod organisation;
mod plans;
mod postgres;
mod sqlite;
pub mod testing;
pub mod transfer;

use async_trait::async_trait;
use rolemap_core::bundle::{FrameworkBundle, PeopleBundle};
use rolemap_core::{
    Assessment, Framework, Level, Mapping, Person, PersonId, Role, RoleId, RoleSummary, Skill,
    SkillId, Source,
};
use rolemap_formats::esco::EscoData;

pub use accounts::{ApiToken, KeptAnswer, NewUser, StoredSession, User, UserId, UserRole};
pub use audit::{Actor, AuditEntry, AuditFilter, Change, Via};
pub use error::StoreError;
pub use location::{Location, MigrationState};
pub use organisation::{OrgAssessment, OrgPerson, Organisation};
pub use plans::{
    Cycle, CycleScope, Goal, GoalChange, NewCycle, NewGoal, NewReview, PeopleScope, ReviewOutcome,
    StoredReview,
};
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What importing one framework did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    pub key: String,
    pub version: String,
    /// False when that key and version were already stored: nothing was changed.
    pub created: bool,
    pub skills: usize,
    pub roles: usize,
    pub links: usize,
}

/// A framework version being written in the browser (see `framework_drafts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkDraft {
    pub id: i64,
    /// The framework key and version its document states.
    pub framework_key: String,
    pub version: String,
    /// What it was started from ("odp 2024"); empty for a new framework.
    pub based_on: String,
    /// The framework document (TOML); always one the framework reader accepts.
    pub document: String,
    pub created_by: Option<UserId>,
    pub created_at: String,
    pub updated_at: String,
    /// When it went in as a version; a published draft no longer changes.
    pub published_at: Option<String>,
}

/// A draft to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDraft {
    pub framework_key: String,
    pub version: String,
    pub based_on: String,
    pub document: String,
    pub created_by: Option<UserId>,
}

/// A draft's new document, with what the edit changed (for the audit log: one line a change,
/// `skill 'x' changed (label)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftUpdate<'a> {
    pub id: i64,
    pub framework_key: &'a str,
    pub version: &'a str,
    pub document: &'a str,
    pub changes: &'a [String],
}

/// A search index built beside an ESCO import, for [`Store::import_esco_indexed`] to keep.
pub trait ImportIndex: Send {
    /// The frameworks generation whose texts the index holds (besides the release imported):
    /// its files are kept only if the import finds the frameworks still at it.
    fn generation(&self) -> i64;

    /// Called inside the import's transaction once ESCO's roles and skills have ids
    /// (`id_of(kind, key)`), and only if the generation is still the index's: the files to
    /// keep for the generation the import makes, or `None` to keep none. It may wait for the
    /// index to be built.
    fn files(
        &mut self,
        id_of: &dyn Fn(ConceptKind, &str) -> Option<i64>,
    ) -> Option<Vec<(String, Vec<u8>)>>;
}

/// What importing a people document did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PeopleOutcome {
    pub people: usize,
    pub assessments: usize,
}

/// What erasing a person removed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Erasure {
    pub assessments: u64,
    /// Their direct reports, now reporting to the erased person's manager (or to no one).
    pub reports_moved: u64,
    /// Whether a linked user was disabled and unlinked.
    pub user_disabled: bool,
    /// Audit entries rewritten so that none keeps their personal fields.
    pub audit_entries_scrubbed: u64,
}

/// A reviewer's decision on one suggested mapping between skills.
#[derive(Debug, Clone, PartialEq)]
pub enum MappingDecision {
    /// Stored as a mapping.
    Accept(Mapping),
    /// Kept as reviewed and not mapped.
    Reject { from: SkillId, to: SkillId },
}

/// Narrows a role listing.
#[derive(Debug, Clone, Default)]
pub struct RoleFilter {
    /// Framework key.
    pub framework: Option<String>,
    /// Job family key or name, case-insensitive.
    pub family: Option<String>,
}

/// Narrows a skill listing.
#[derive(Debug, Clone, Default)]
pub struct SkillFilter {
    pub framework: Option<String>,
    /// Case-insensitive substring of the preferred or an alternative label.
    pub text: Option<String>,
    pub kind: Option<String>,
    pub tag: Option<String>,
}

/// A new person, references already resolved.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub key: String,
    pub name: String,
    pub role: Option<RoleId>,
    pub grade: Option<String>,
    pub manager: Option<PersonId>,
    pub team: String,
    pub email: Option<String>,
}

/// What an edit sets on a person, references already resolved: every editable field, as it is
/// to be after the edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFields {
    pub name: String,
    pub email: Option<String>,
    pub role: Option<RoleId>,
    pub grade: Option<String>,
    pub manager: Option<PersonId>,
    pub team: String,
}

/// Who a person in an import reports to: nobody, someone stored, or someone the import itself
/// adds (by key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManagerRef {
    None,
    Stored(PersonId),
    New(String),
}

/// One person an import writes: a stored person's new fields, or someone new.
#[derive(Debug, Clone)]
pub struct PersonWrite {
    /// The stored person it updates; `None` adds them under `key`.
    pub existing: Option<PersonId>,
    pub key: String,
    pub fields: PersonFields,
    /// Overrides `fields.manager`, which may name someone not stored yet.
    pub manager: ManagerRef,
}

/// A new assessment, level already checked against the skill's scale.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    pub person: PersonId,
    pub skill: SkillId,
    pub level: Level,
    pub source: Source,
    pub at: String,
    pub note: String,
    /// The signed-in user who recorded it; `None` for imports and the command line.
    pub recorded_by: Option<UserId>,
}

/// A name that may refer to a role: its id, key and every title it answers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameEntry<I> {
    pub id: I,
    pub framework_key: String,
    pub key: String,
    pub name: String,
    /// True for the concept's own title or preferred label; false for its other titles and
    /// alternative or hidden labels, which a preferred label elsewhere outranks.
    pub preferred: bool,
}

/// Whether a concept is a role (an occupation) or a skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConceptKind {
    Role,
    Skill,
}

impl ConceptKind {
    /// "role" or "skill", as the JSON and the tables say it.
    pub fn as_str(self) -> &'static str {
        match self {
            ConceptKind::Role => "role",
            ConceptKind::Skill => "skill",
        }
    }
}

/// The levels one role requires of one skill, as ranks on the skill's scale (1 = lowest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequirementLevels {
    pub role: RoleId,
    pub skill: SkillId,
    /// At the role's lowest grade (or its one level).
    pub low: u8,
    /// At the role's highest grade (or its one level).
    pub high: u8,
    /// How many levels the scale has.
    pub ranks: u8,
}

/// A role's or skill's texts, as the search index takes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConceptText {
    pub kind: ConceptKind,
    /// The role's or skill's id.
    pub id: i64,
    pub framework_key: String,
    pub key: String,
    /// The title or preferred label.
    pub label: String,
    /// Alternative labels, alternative and typical job titles.
    pub alternative: Vec<String>,
    /// Labels a taxonomy keeps for search only (ESCO's hidden labels: misspellings, old names).
    pub hidden: Vec<String>,
    pub description: String,
    /// A skill's reuse level, where its framework gives one (ESCO); `None` for roles.
    pub reuse: Option<rolemap_core::ReuseLevel>,
}

/// One of ESCO's concepts as another refers to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscoLink {
    pub uri: String,
    /// "occupation", "skill", "isco-group" or "skill-group"; empty when ESCO never defined it.
    pub kind: String,
    /// The ISCO or skill group code, or the ESCO code of an occupation; often empty.
    pub code: String,
    pub label: String,
    /// The role this concept became, when it is an occupation.
    pub role: Option<RoleId>,
    /// The skill this concept became, when it is a skill.
    pub skill: Option<SkillId>,
}

/// One of ESCO's two hierarchies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscoPillar {
    /// ISCO groups, then occupations (and occupations below occupations).
    Occupations,
    /// Skill groups, then skills (and skills below skills).
    Skills,
}

impl EscoPillar {
    /// As the broader relations record it.
    pub fn as_str(self) -> &'static str {
        match self {
            EscoPillar::Occupations => "occupations",
            EscoPillar::Skills => "skills",
        }
    }

    /// The kind of the groups at its top.
    pub fn group_kind(self) -> &'static str {
        match self {
            EscoPillar::Occupations => "isco-group",
            EscoPillar::Skills => "skill-group",
        }
    }
}

/// A concept in one of ESCO's hierarchies, with how many concepts lie directly below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscoNode {
    pub link: EscoLink,
    pub narrower: u64,
}

/// One page of the concepts directly below a concept of ESCO's hierarchies, or of its top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscoBranch {
    /// The concept above them; `None` at the top.
    pub parent: Option<EscoLink>,
    /// From the top down to the concept above the parent, the first broader concept at each
    /// step.
    pub path: Vec<EscoLink>,
    /// The concepts directly below, in all pages.
    pub total: u64,
    /// This page of them: groups first, then by code and label.
    pub children: Vec<EscoNode>,
}

/// A skill-skill relation from ESCO's relations file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscoRelated {
    pub skill: EscoLink,
    /// "essential" or "optional", as ESCO has it.
    pub importance: String,
    /// True when the relation is stated from the other skill to this one.
    pub inbound: bool,
}

/// What ESCO holds about one of its occupations or skills beyond what a role or skill keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscoDetail {
    pub uri: String,
    pub kind: String,
    pub code: String,
    pub definition: String,
    pub scope_note: String,
    pub status: String,
    /// For skills: "skill/competence" or "knowledge".
    pub skill_type: String,
    /// For occupations: the regulated profession note.
    pub regulated: String,
    pub modified: String,
    pub hidden_labels: Vec<String>,
    /// The concepts directly above this one (ISCO groups, skill groups, broader occupations or
    /// skills), by code then label.
    pub broader: Vec<EscoLink>,
    /// From the top of the hierarchy down to the first broader concept: for an occupation its
    /// ISCO path (major group, sub-major, minor, unit group, then any broader occupations).
    pub path: Vec<EscoLink>,
    /// Skills only: the skills ESCO relates to this one, in both directions.
    pub related: Vec<EscoRelated>,
}

#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    /// Closes the store's connections, waiting for those in use; the store is of no further use.
    async fn close(&self) {}

    /// Every stored framework version, with counts.
    async fn frameworks(&self) -> Result<Vec<Framework>>;

    /// What a stored framework version held when imported ([`FrameworkBundle::content`]);
    /// `None` when that version is not stored, or was stored without it.
    async fn framework_content(&self, key: &str, version: &str) -> Result<Option<String>>;

    /// A stored framework version read back whole, as the bundle its document describes
    /// (`version` `None`: the latest); `None` when not stored.
    async fn framework_bundle(
        &self,
        key: &str,
        version: Option<&str>,
    ) -> Result<Option<FrameworkBundle>>;

    /// Every framework draft, newest first.
    async fn framework_drafts(&self) -> Result<Vec<FrameworkDraft>>;

    async fn framework_draft(&self, id: i64) -> Result<FrameworkDraft>;

    /// Starts a draft, recording `framework.draft.create`.
    async fn add_framework_draft(
        &self,
        draft: &NewDraft,
        actor: &Actor,
        now: &str,
    ) -> Result<FrameworkDraft>;

    /// Replaces an unpublished draft's document (checked by the caller), recording
    /// `framework.draft.edit` with what changed.
    async fn update_framework_draft(
        &self,
        edit: &DraftUpdate<'_>,
        actor: &Actor,
        now: &str,
    ) -> Result<FrameworkDraft>;

    /// Imports a draft's bundle as a new version and marks the draft published, in one
    /// transaction with its `framework.publish` entry; a key and version already stored are
    /// refused.
    async fn publish_framework_draft(
        &self,
        id: i64,
        bundle: &FrameworkBundle,
        actor: &Actor,
        now: &str,
    ) -> Result<ImportOutcome>;

    /// Stores frameworks in one transaction. References between frameworks resolve against the batch
    /// and what is stored. A key and version already stored are left as they are.
    async fn import_frameworks(
        &self,
        bundles: &[FrameworkBundle],
        actor: &Actor,
        now: &str,
    ) -> Result<Vec<ImportOutcome>>;

    /// Stores the framework made of a CASE package and the package's objects (JSON, in package
    /// order) in one transaction. A key and version already stored are left as they are.
    async fn import_case(
        &self,
        bundle: &FrameworkBundle,
        objects: &[rolemap_formats::case::CaseObject],
        actor: &Actor,
        now: &str,
    ) -> Result<ImportOutcome>;

    /// The CASE package objects of the latest version of `framework`, in package order; `None`
    /// when it did not come from a CASE package.
    async fn case_objects(
        &self,
        framework: &str,
    ) -> Result<Option<Vec<rolemap_formats::case::CaseObject>>>;

    /// When the latest version of `framework` was imported (`None`: not stored).
    async fn framework_imported_at(&self, framework: &str) -> Result<Option<String>>;

    /// Stores the framework made of a file of a standard format (`format`: `rsd`) and the file's
    /// objects (JSON, in file order) in one transaction, so that an export gives back every
    /// field. A key and version already stored are left as they are.
    async fn import_kept(
        &self,
        bundle: &FrameworkBundle,
        format: &str,
        objects: &[rolemap_formats::kept::KeptObject],
        actor: &Actor,
        now: &str,
    ) -> Result<ImportOutcome> {
        let _ = (bundle, objects, actor, now);
        Err(StoreError::Conflict(format!(
            "this database backend does not keep {format} files yet"
        )))
    }

    /// The kept objects of `format` of the latest version of `framework`, in file order; `None`
    /// when that version did not come from a file of that format.
    async fn kept_objects(
        &self,
        framework: &str,
        format: &str,
    ) -> Result<Option<Vec<rolemap_formats::kept::KeptObject>>> {
        let _ = (framework, format);
        Ok(None)
    }

    /// Stores an ESCO release as the framework `esco` in one transaction: its occupations as
    /// roles, skills as skills, relations as requirements, and ESCO's own structure (groups,
    /// broader relations, skill-skill relations, hierarchy, every concept's fields) beside them.
    /// A version already stored is left as it is.
    async fn import_esco(&self, data: &EscoData, actor: &Actor, now: &str)
    -> Result<ImportOutcome>;

    /// As [`Store::import_esco`], and keeps the search index of the frameworks as the import
    /// leaves them in the same transaction, so the new release is searchable from the commit on:
    /// once the rows are written, `index` is asked for its files (see [`ImportIndex`]). The
    /// index never fails the import: if the frameworks changed since it was built, or its
    /// files cannot be had or written, none are kept and the next search builds them.
    async fn import_esco_indexed(
        &self,
        data: &EscoData,
        actor: &Actor,
        now: &str,
        index: &mut dyn ImportIndex,
    ) -> Result<ImportOutcome>;

    /// Readies the database for a large import that is about to come, while the caller still
    /// reads what it will import. Changes nothing stored; an import works without it.
    async fn prepare_for_import(&self) -> Result<()> {
        Ok(())
    }

    /// Stores people and their assessments in one transaction, checking every reference.
    async fn import_people(
        &self,
        bundle: &PeopleBundle,
        actor: &Actor,
        now: &str,
    ) -> Result<PeopleOutcome>;

    /// Stores a generated organisation (people in a management tree and their assessments) in
    /// one transaction through the bulk path, all or nothing, as demo data with one audit entry.
    async fn load_organisation(
        &self,
        org: &Organisation,
        actor: &Actor,
        now: &str,
    ) -> Result<PeopleOutcome>;

    /// Checks people and their assessments against what is stored, as `import_people` would,
    /// and returns every problem found; stores nothing.
    async fn check_people(&self, bundle: &PeopleBundle)
    -> Result<Vec<rolemap_formats::Diagnostic>>;

    /// A number that changes whenever stored frameworks change (in any process), so callers can
    /// cache what they read from frameworks and know when to drop it.
    async fn frameworks_generation(&self) -> Result<i64>;
    /// A counter every write to people or assessments moves on in its transaction, in any
    /// process: what is worked out from people alone may be kept while it (and the frameworks
    /// generation) stays the same.
    async fn people_generation(&self) -> Result<i64>;

    /// The role with this key in the latest version of a framework.
    async fn role_by_key(&self, framework: &str, key: &str) -> Result<Option<RoleId>>;

    async fn roles(&self, filter: &RoleFilter) -> Result<Vec<RoleSummary>>;
    async fn role(&self, id: RoleId) -> Result<Role>;
    /// Every name a role answers to (title first, then alternative and typical titles and
    /// ESCO's hidden labels), for resolution.
    async fn role_names(&self, framework: Option<&str>) -> Result<Vec<NameEntry<RoleId>>>;

    async fn skills(&self, filter: &SkillFilter) -> Result<Vec<Skill>>;
    /// The skill with this key (any case) in the latest version of a framework.
    async fn skill_by_key(&self, framework: &str, key: &str) -> Result<Option<SkillId>>;
    async fn skill(&self, id: SkillId) -> Result<Skill>;
    /// Every label a skill answers to (preferred first, then alternative and ESCO's hidden
    /// labels), for resolution.
    async fn skill_names(&self, framework: Option<&str>) -> Result<Vec<NameEntry<SkillId>>>;
    /// The skills whose preferred label (case aside) another skill of the same framework version
    /// also has, by id: the few names that need telling apart when shown.
    async fn skills_sharing_labels(&self) -> Result<Vec<Skill>>;
    /// Roles that require a skill: (role, essential?).
    async fn roles_requiring(&self, skill: SkillId) -> Result<Vec<(RoleSummary, bool)>>;

    /// The texts of every role and skill in the latest version of each framework, for the
    /// search index, ordered by kind and id.
    async fn concept_texts(&self) -> Result<Vec<ConceptText>>;
    /// Stores observed movements between roles, (from, to, people, source), in one transaction:
    /// a (from, to, source) already stored takes the new count. Similarity reads them, so the
    /// frameworks generation moves on. Returns the rows written.
    async fn import_transitions(
        &self,
        rows: &[(RoleId, RoleId, u32, String)],
        actor: &Actor,
        now: &str,
    ) -> Result<usize>;
    /// The observed movements out of the roles of the latest version of a framework, summed over
    /// sources: (from, to, people), ordered.
    async fn transitions(&self, framework: &str) -> Result<Vec<(RoleId, RoleId, u64)>>;
    /// The texts of the roles in the latest version of one framework (skills left out), as
    /// [`Store::concept_texts`] gives them.
    async fn role_texts(&self, framework: &str) -> Result<Vec<ConceptText>>;
    /// Every requirement of the roles in the latest version of a framework, as (role id, skill
    /// id, essential?), ordered by role and skill; for similarity between its roles.
    async fn requirement_pairs(&self, framework: &str) -> Result<Vec<(RoleId, SkillId, bool)>>;
    /// The levels the roles of a framework's latest version require, where its skills have a
    /// scale, ordered by role and skill.
    async fn requirement_levels(&self, framework: &str) -> Result<Vec<RequirementLevels>>;
    /// Where each role of a framework's latest version sits (grades, level, ISCO code), by id.
    async fn role_bands(
        &self,
        framework: &str,
    ) -> Result<Vec<(RoleId, Option<rolemap_core::seniority::Band>)>>;
    /// The links between roles that touch a role of a framework's latest version, from either
    /// end (links to other frameworks included): (from, to, kind).
    async fn role_links(
        &self,
        framework: &str,
    ) -> Result<Vec<(RoleId, RoleId, rolemap_core::LinkKind)>>;
    /// The groups each skill of a framework's latest version sits under in its skills hierarchy
    /// (ESCO's broader concepts): (skill, group number), ordered; empty without a hierarchy.
    async fn skill_groups(&self, framework: &str) -> Result<Vec<(SkillId, i64)>>;
    /// The preferred label of every skill of a framework's latest version: (id, label), by id.
    async fn skill_labels(&self, framework: &str) -> Result<Vec<(SkillId, String)>>;
    /// The skills of a framework's latest version as (id, key, preferred label, description),
    /// ordered by key: what a crosswalk is suggested from.
    async fn skill_texts(&self, framework: &str) -> Result<Vec<(SkillId, String, String, String)>>;
    /// Stores reviewed mappings between skills in one transaction, `source` naming the file they
    /// came from; a pair already stored takes the new type and confidence. Compare, gap and
    /// similarity read them, so the frameworks generation moves on. Returns the rows written.
    async fn apply_mappings(
        &self,
        mappings: &[Mapping],
        source: &str,
        actor: &Actor,
        now: &str,
    ) -> Result<usize>;
    /// Every stored mapping, ordered by from and to skill.
    async fn mappings(&self) -> Result<Vec<Mapping>>;
    /// Stores a reviewer's decisions on suggested mappings in one transaction: an accepted pair
    /// becomes a mapping (as [`Store::apply_mappings`] stores one, `source` saying where it was
    /// decided) and loses any rejection; a rejected pair is kept as rejected and loses its
    /// mapping (that way round). Moves the frameworks generation on. Records one audit entry a
    /// decision (`mapping.accept`, `mapping.reject`). Returns the decisions written.
    async fn decide_mappings(
        &self,
        decisions: &[MappingDecision],
        source: &str,
        actor: &Actor,
        now: &str,
    ) -> Result<usize>;
    /// Every rejected pair as (from, to), ordered.
    async fn mapping_rejections(&self) -> Result<Vec<(SkillId, SkillId)>>;
    /// A page (`offset`, `limit`) of the concepts directly below `parent` (a URI) in one of
    /// the latest ESCO release's hierarchies; with no parent, the groups at its top. `None`
    /// when no release is stored or it has no concept of that URI.
    async fn esco_branch(
        &self,
        pillar: EscoPillar,
        parent: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> Result<Option<EscoBranch>>;
    /// The latest ESCO release's collections of skills (its skills' tags: digital, green,
    /// transversal, ...) with how many skills each holds, by tag.
    async fn esco_collections(&self) -> Result<Vec<(String, u64)>>;
    /// A page of one collection's skills, by label, and how many it holds in all.
    async fn esco_collection(
        &self,
        tag: &str,
        offset: u64,
        limit: u64,
    ) -> Result<(u64, Vec<EscoLink>)>;
    /// The neighbour lists kept for a framework's latest version, if they were computed for this
    /// frameworks generation (and it is still the current one).
    async fn neighbour_lists(&self, framework: &str, generation: i64) -> Result<Option<Vec<u8>>>;
    /// Keeps a framework's neighbour lists computed for frameworks `generation` in place of any
    /// kept before, unless the frameworks have changed since (then nothing is kept: false).
    async fn keep_neighbour_lists(
        &self,
        framework: &str,
        generation: i64,
        data: &[u8],
    ) -> Result<bool>;
    /// The id and key of every role and skill in the latest version of a framework.
    async fn concept_keys(&self, framework: &str) -> Result<Vec<(ConceptKind, i64, String)>>;
    /// The search index files kept for this frameworks generation, if any were.
    async fn search_index_files(&self, generation: i64) -> Result<Option<Vec<(String, Vec<u8>)>>>;
    /// Keeps search index files built for frameworks `generation` in place of any kept before,
    /// unless the frameworks have changed since (then nothing is kept, and the answer is false).
    async fn keep_search_index_files(
        &self,
        generation: i64,
        files: &[(String, Vec<u8>)],
    ) -> Result<bool>;
    /// ESCO's own fields and relations for a role or skill imported from ESCO; `None` for the
    /// concepts of any other framework.
    async fn esco_detail(&self, kind: ConceptKind, id: i64) -> Result<Option<EscoDetail>>;

    /// Records a person and, in the same transaction, their first assessments (whose `person`
    /// is ignored: they are the new person's).
    async fn add_person(
        &self,
        person: &NewPerson,
        assessments: &[NewAssessment],
        actor: &Actor,
        now: &str,
    ) -> Result<(Person, Vec<Assessment>)>;
    async fn person(&self, id: PersonId) -> Result<Person>;
    async fn people(&self) -> Result<Vec<Person>>;
    /// Everyone below a manager, directly or through others, in name order.
    async fn reports(&self, manager: PersonId) -> Result<Vec<Person>>;
    /// Whether `person` reports to `manager`, directly or through others (one walk up the
    /// manager chain; false for the manager themselves). Cheap: permission checks ask it per
    /// request.
    async fn manages(&self, manager: PersonId, person: PersonId) -> Result<bool>;

    /// Sets a person's editable fields in one transaction, recording the change. A manager who
    /// is the person, reports to them (directly or through others) or is archived is refused
    /// ([`StoreError::Conflict`]), as is an email another person has.
    async fn update_person(
        &self,
        id: PersonId,
        fields: &PersonFields,
        actor: &Actor,
        now: &str,
    ) -> Result<Person>;
    /// Archives a person (`archived`), or brings them back, recording the change. Someone with
    /// active reports is not archived ([`StoreError::Conflict`]): they are moved first.
    async fn set_archived(
        &self,
        id: PersonId,
        archived: bool,
        actor: &Actor,
        now: &str,
    ) -> Result<Person>;
    /// Adds and updates people in one transaction (an import), recording one change per person
    /// written; managers may name people the same call adds. The same refusals as
    /// [`Store::update_person`]. Returns the people written, in the order given.
    async fn write_people(
        &self,
        writes: &[PersonWrite],
        actor: &Actor,
        now: &str,
    ) -> Result<Vec<Person>>;

    async fn add_assessments(
        &self,
        assessments: &[NewAssessment],
        actor: &Actor,
        now: &str,
    ) -> Result<Vec<Assessment>>;
    /// A person's assessments, oldest first.
    async fn assessments(&self, person: PersonId) -> Result<Vec<Assessment>>;

    // Accounts (see `accounts.rs`): the store keeps password hashes and token hashes only.

    /// Records a user; a username already taken, or a person already linked to a user, is a
    /// conflict, and a person that does not exist is not found.
    async fn add_user(&self, user: &NewUser, actor: &Actor, now: &str) -> Result<User>;
    async fn user(&self, id: UserId) -> Result<User>;
    /// Every user, by username.
    async fn users(&self) -> Result<Vec<User>>;
    /// The user of this username (exactly as stored) with their password hash.
    async fn user_with_password(&self, username: &str) -> Result<Option<(User, String)>>;
    /// The user linked to a person, if any.
    async fn user_by_person(&self, person: PersonId) -> Result<Option<User>>;
    /// Disables or enables a user; disabling ends their sessions in the same transaction.
    async fn set_user_disabled(
        &self,
        id: UserId,
        disabled: bool,
        actor: &Actor,
        now: &str,
    ) -> Result<User>;
    /// Gives a user another role.
    async fn set_user_role(
        &self,
        id: UserId,
        role: UserRole,
        actor: &Actor,
        now: &str,
    ) -> Result<User>;
    /// Replaces a user's password hash and ends their sessions, in one transaction.
    async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        actor: &Actor,
        now: &str,
    ) -> Result<()>;
    /// Records a session under the SHA-256 of its token (audited as `session.start` by `actor`,
    /// the user signing in).
    async fn add_session(
        &self,
        token_hash: &[u8],
        session: &StoredSession,
        actor: &Actor,
    ) -> Result<()>;
    /// The session of a token hash and its user, expired or not (the service judges expiry).
    async fn session(&self, token_hash: &[u8]) -> Result<Option<(StoredSession, User)>>;
    /// Notes that a session was used at `now`, for its idle expiry.
    async fn touch_session(&self, token_hash: &[u8], now: &str) -> Result<()>;
    /// Ends a session; ending one that is gone is not an error. With an actor (a sign-out) the
    /// end is audited as `session.end`; without one (an expired session tidied away) it is not.
    async fn delete_session(
        &self,
        token_hash: &[u8],
        actor: Option<&Actor>,
        now: &str,
    ) -> Result<()>;
    /// Deletes the sessions past their absolute end at `now` or last seen before `idle_since`;
    /// returns how many.
    async fn delete_expired_sessions(&self, now: &str, idle_since: &str) -> Result<u64>;
    /// Records an API token of a user under the SHA-256 of the token.
    async fn add_api_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &[u8],
        actor: &Actor,
        now: &str,
    ) -> Result<ApiToken>;
    /// A user's API tokens, revoked ones included, oldest first.
    async fn api_tokens(&self, user: UserId) -> Result<Vec<ApiToken>>;
    /// An API token that has not been revoked, and its user.
    async fn api_token_user(&self, token_hash: &[u8]) -> Result<Option<(ApiToken, User)>>;
    /// Notes that an API token was used at `now`, for its owner to see.
    async fn touch_api_token(&self, id: i64, now: &str) -> Result<()>;
    /// Revokes one of `user`'s API tokens (revoking again keeps the first time); a token of
    /// another user is not found.
    async fn revoke_api_token(
        &self,
        user: UserId,
        id: i64,
        actor: &Actor,
        now: &str,
    ) -> Result<ApiToken>;

    /// The answer kept for an idempotency key of a user (or of no user) since `since`.
    async fn kept_answer(
        &self,
        key: &str,
        user: Option<UserId>,
        since: &str,
    ) -> Result<Option<KeptAnswer>>;
    /// Keeps an answer under an idempotency key, and forgets those kept before `expired`.
    async fn keep_answer(
        &self,
        key: &str,
        user: Option<UserId>,
        answer: &KeptAnswer,
        now: &str,
        expired: &str,
    ) -> Result<()>;

    // The audit log (migration 0017) and the privacy paths through it (migration 0020).

    /// The audit entries the filter lets through, newest first.
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>>;

    /// Erases a person in one transaction: their assessments and every row about them are
    /// deleted, their reports move up to their manager, a linked user is disabled, unlinked and
    /// renamed to `tombstone`, and the audit log keeps no personal field of theirs (their key,
    /// name and the user's names become `tombstone` wherever an entry quotes them); one
    /// `person.erase` entry under `tombstone` records the erasure.
    async fn erase_person(
        &self,
        person: PersonId,
        tombstone: &str,
        actor: &Actor,
        now: &str,
    ) -> Result<Erasure>;

    /// Deletes every assessment recorded before `before` (RFC 3339), in one transaction
    /// audited as `assessment.purge` with the count; returns the count.
    async fn purge_assessments(&self, before: &str, actor: &Actor, now: &str) -> Result<u64>;

    // Reviews, review cycles and development goals (`plans.rs`). Each write records its
    // changes in the audit log in its own transaction.

    /// Records a manager's review of a self-rating: a manager rating (source manager,
    /// `recorded_by` the reviewer, the note on it) and the link to the self-rating it answers,
    /// together. A self-rating reviewed already is a conflict; one not of that person, not found.
    async fn add_review(
        &self,
        review: &NewReview,
        actor: &Actor,
        now: &str,
    ) -> Result<StoredReview>;
    /// The reviews of one person, or of everyone below a manager, oldest first.
    async fn reviews(&self, scope: PeopleScope) -> Result<Vec<StoredReview>>;
    async fn add_goal(&self, goal: &NewGoal, actor: &Actor, now: &str) -> Result<Goal>;
    /// Changes one of `person`'s goals; another person's goal is not found.
    async fn update_goal(
        &self,
        person: PersonId,
        id: i64,
        change: &GoalChange,
        actor: &Actor,
        now: &str,
    ) -> Result<Goal>;
    /// The goals of one person, or of everyone below a manager, by due date.
    async fn goals(&self, scope: PeopleScope) -> Result<Vec<Goal>>;
    async fn open_cycle(&self, cycle: &NewCycle, actor: &Actor, now: &str) -> Result<Cycle>;
    /// Closes an open review cycle; closing one closed already is a conflict.
    async fn close_cycle(&self, id: i64, actor: &Actor, now: &str) -> Result<Cycle>;
    /// Every review cycle, the latest start first.
    async fn cycles(&self) -> Result<Vec<Cycle>>;
}
